import { describe, expect, it } from 'vitest';
import { failureText, formatBytes, formatSpeed, formatTimeLeft, percentOf } from './file-format';

describe('file transfer words and numbers (FILE-01)', () => {
  it('FILE-01: sizes, speed, time left and percent read as a person expects', () => {
    expect([0, 1, 999, 1536, 12 * 1024 ** 2, 4 * 1024 ** 3].map(formatBytes)).toEqual(['0 bytes', '1 byte', '999 bytes', '1.5 KB', '12 MB', '4.0 GB']);
    expect(formatSpeed(3.2 * 1024 ** 2)).toBe('3.2 MB/s');
    expect(formatSpeed(0)).toBeNull();
    expect([0.2, 59, 61, 3599, 3600, 3900].map(formatTimeLeft)).toEqual(['1 s left', '59 s left', '2 min left', '1 h left', '1 h left', '1 h 5 min left']);
    expect(formatTimeLeft(null)).toBeNull();
    expect([percentOf(0, 0), percentOf(1, 3), percentOf(3, 3), percentOf(5, 3)]).toEqual([100, 33, 100, 100]);
  });

  it('FILE-01: a failure shows the core\'s sentence, else words for its code, never a bare code', () => {
    expect(failureText({ code: 'DISK_FULL', message: 'The disk is full; the partial file was removed.' })).toBe('Failed: The disk is full; the partial file was removed.');
    expect(failureText({ code: 'HASH_MISMATCH', message: '' })).toBe('Failed: the received file did not match what was sent, so it was deleted');
    expect(failureText({ code: 'SOMETHING_NEW', message: ' ' })).toBe('Failed: something went wrong');
    expect(failureText(null)).toBe('Failed');
  });
});

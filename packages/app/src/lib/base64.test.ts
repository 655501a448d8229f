import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';

describe('base64 for backup files (IDEN-03)', () => {
  it('round-trips every byte value and large files, as standard padded base64', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    const big = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big);
  });

  it('refuses malformed input instead of guessing', () => {
    expect(() => base64ToBytes('abc')).toThrow();
    expect(() => base64ToBytes('a$==')).toThrow();
  });
});

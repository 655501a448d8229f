import { BRIDGE_LIMITS, FILE_BRIDGE_LIMITS, type FileTransferView } from '@discordopus/protocol/bridge';
import { FILE_LIMITS } from '@discordopus/protocol/files';
import { describe, expect, it } from 'vitest';
import { boundedPage } from './list-page';

/** files.list pages bounded by bytes (FILE-01): a page of the largest views still fits in one bridge frame. */
const idOf = (n: number) => Buffer.alloc(16, n).toString('base64url');
const small = (n: number): FileTransferView => ({
  id: idOf(n), peer: 'ab'.repeat(32), direction: 'in', name: `f${n}.txt`, size: 1, mime: 'text/plain', caption: null, preview: null,
  state: 'offered', by: null, bytesDone: 0, paused: false, failure: null, sentAt: n, finalName: null,
});
const largest = (n: number): FileTransferView => ({
  ...small(n),
  name: '\u0001'.repeat(FILE_LIMITS.maxOfferedNameChars),
  mime: `a/b;${'"'.repeat(FILE_LIMITS.maxMimeChars - 4)}`,
  caption: '\u0001'.repeat(FILE_LIMITS.maxCaptionChars),
  preview: { mime: 'image/png', data: Buffer.alloc(FILE_LIMITS.maxPreviewBytes, 7).toString('base64') },
  state: 'failed', by: 'peer',
  failure: { code: 'X'.repeat(BRIDGE_LIMITS.errorCodeChars), message: '\u0001'.repeat(BRIDGE_LIMITS.reasonChars) },
});
const frameBytes = (value: unknown) => Buffer.byteLength(JSON.stringify({ kind: 'result', id: Number.MAX_SAFE_INTEGER, ok: true, value }));

describe('boundedPage (FILE-01)', () => {
  it('FILE-01: sixteen of the largest views stop early with a cursor, the page fits in a frame, and the next page goes on from there', () => {
    const views = Array.from({ length: FILE_BRIDGE_LIMITS.listPage }, (_, i) => largest(i + 1));
    const first = boundedPage(views, false);
    expect(first.transfers.length).toBeGreaterThan(0);
    expect(first.transfers.length).toBeLessThan(views.length);
    expect(first.olderCursor).toBe(first.transfers.at(-1)!.id);
    expect(frameBytes(first)).toBeLessThanOrEqual(BRIDGE_LIMITS.maxFrameBytes);
  });

  it('FILE-01: small views fill the page; the cursor follows what the store says', () => {
    const views = Array.from({ length: FILE_BRIDGE_LIMITS.listPage }, (_, i) => small(i + 1));
    expect(boundedPage(views, false)).toEqual({ transfers: views, olderCursor: null });
    expect(boundedPage(views, true)).toEqual({ transfers: views, olderCursor: views.at(-1)!.id });
    expect(boundedPage([], false)).toEqual({ transfers: [], olderCursor: null });
    // One view over the budget still comes (a page is never empty while transfers remain).
    expect(boundedPage([largest(1), small(2)], false, 10)).toEqual({ transfers: [largest(1)], olderCursor: idOf(1) });
  });
});

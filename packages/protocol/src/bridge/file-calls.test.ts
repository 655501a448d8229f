import { base64 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { FILE_LIMITS } from '../files/file-limits';
import { bridgeCalls } from './bridge-calls';
import { bridgeEvents } from './bridge-events';
import { FILE_BRIDGE_LIMITS, type FileTransferView } from './file-calls';
import { BRIDGE_LIMITS } from './primitives';

const publicKey = 'ab'.repeat(32);
const id = 'AAAAAAAAAAAAAAAAAAAAAA';
const png = (n: number) => base64.encode(new Uint8Array(n).map((_, i) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][i] ?? 7));

describe('bridge: file calls and events (FILE-01..03)', () => {
  it('FILE-01: a preview is standard base64 of at most 32 KiB whose bytes are the image type it claims', () => {
    const begin = bridgeCalls['files.beginUpload'].params;
    const ok = { publicKey, name: 'a.png', size: 1, mime: 'image/png', caption: null };
    expect(begin.safeParse({ ...ok, preview: { mime: 'image/png', data: png(FILE_LIMITS.maxPreviewBytes) } }).success).toBe(true);
    expect(begin.safeParse({ ...ok, preview: { mime: 'image/png', data: png(FILE_LIMITS.maxPreviewBytes + 1) } }).success).toBe(false);
    expect(begin.safeParse({ ...ok, preview: { mime: 'image/webp', data: png(100) } }).success).toBe(false);
    // base64url is not what the bridge carries; neither is a data: URL.
    expect(begin.safeParse({ ...ok, preview: { mime: 'image/png', data: png(100).replace(/\+/g, '-').replace(/\//g, '_') + '-_' } }).success).toBe(false);
    expect(begin.safeParse({ ...ok, preview: { mime: 'image/png', data: `data:image/png;base64,${png(100)}` } }).success).toBe(false);
    expect(begin.safeParse({ ...ok, preview: { mime: 'image/svg+xml', data: png(100) } }).success).toBe(false);
  });

  it('FILE-01: a chunk decodes to bytes, at most 256 KiB; a size over 4 GiB or a fractional offset is refused', () => {
    const chunk = bridgeCalls['files.uploadChunk'].params;
    const uploadId = 'u'.repeat(22);
    expect(chunk.parse({ uploadId, offset: 0, data: base64.encode(new Uint8Array([1, 2, 3])) }).data).toEqual(new Uint8Array([1, 2, 3]));
    expect(chunk.parse({ uploadId, offset: 0, data: '' }).data).toEqual(new Uint8Array(0));
    expect(chunk.safeParse({ uploadId, offset: 0, data: base64.encode(new Uint8Array(FILE_BRIDGE_LIMITS.uploadChunkBytes)) }).success).toBe(true);
    expect(chunk.safeParse({ uploadId, offset: 0, data: base64.encode(new Uint8Array(FILE_BRIDGE_LIMITS.uploadChunkBytes + 1)) }).success).toBe(false);
    expect(chunk.safeParse({ uploadId, offset: 0.5, data: '' }).success).toBe(false);
    expect(chunk.safeParse({ uploadId: '../x', offset: 0, data: '' }).success).toBe(false);
    const begin = bridgeCalls['files.beginUpload'].params;
    const ok = { publicKey, name: 'a', mime: 'text/plain', caption: null, preview: null };
    expect(begin.safeParse({ ...ok, size: FILE_BRIDGE_LIMITS.maxUploadBytes }).success).toBe(true);
    expect(begin.safeParse({ ...ok, size: FILE_BRIDGE_LIMITS.maxUploadBytes + 1 }).success).toBe(false);
    expect(begin.safeParse({ ...ok, size: 1, caption: ' ' }).success).toBe(false);
    // U+0958 becomes two characters under NFC: 1000 of them pass the raw length but not the core's.
    expect('\u0958'.repeat(1000).normalize('NFC')).toHaveLength(2000);
    expect(begin.safeParse({ ...ok, size: 1, name: '\u0958'.repeat(1000) }).success).toBe(false);
    expect(begin.safeParse({ ...ok, size: 1, name: '\u0958'.repeat(512) }).success).toBe(true);
  });

  it('FILE-03: the downloads folder is a full path without control characters; sizes are whole bytes up to 1 TiB', () => {
    const set = bridgeCalls['settings.set'].params;
    for (const dir of ['/home/ann/Downloads', 'C:\\Users\\Ann\\Downloads', '\\\\server\\share\\in', null]) expect(set.safeParse({ downloadsDir: dir }).success, String(dir)).toBe(true);
    for (const dir of ['Downloads', './in', '~/Downloads', '', '/a\u0000b', '/a\nb', 'x'.repeat(4097)]) expect(set.safeParse({ downloadsDir: dir }).success, dir).toBe(false);
    expect(set.safeParse({ maxReceiveBytes: 2 ** 40 }).success).toBe(true);
    expect(set.safeParse({ maxReceiveBytes: 2 ** 40 + 1 }).success).toBe(false);
    expect(set.safeParse({ autoAcceptVerifiedMaxBytes: -1 }).success).toBe(false);
  });

  it('FILE-03: a view never carries a path: its final name is a base name', () => {
    const view: FileTransferView = {
      id, peer: publicKey, direction: 'in', name: '../x', size: 3, mime: 'text/plain', caption: null, preview: null,
      state: 'complete', by: null, bytesDone: 3, paused: false, failure: null, sentAt: 1, finalName: '.._x',
    };
    const event = bridgeEvents['files.offered'];
    expect(event.safeParse({ transfer: view, autoAccepted: false }).success).toBe(true);
    for (const finalName of ['/home/ann/x', 'a/b', 'a\\b', '..', '.']) expect(event.safeParse({ transfer: { ...view, finalName }, autoAccepted: false }).success, finalName).toBe(false);
  });

  it('FILE-02: files.interrupted names the contact, the transfer and the bytes it continues from; nothing else', () => {
    const event = bridgeEvents['files.interrupted'];
    const ok = { publicKey, id, direction: 'in', bytes: 1024 };
    expect(event.parse(ok)).toEqual(ok);
    expect(event.safeParse({ ...ok, bytes: -1 }).success).toBe(false);
    expect(event.safeParse({ ...ok, bytes: 1.5 }).success).toBe(false);
    expect(event.safeParse({ ...ok, direction: 'sideways' }).success).toBe(false);
    expect(event.safeParse({ ...ok, publicKey: 'AB'.repeat(31) }).success).toBe(false);
    expect(event.safeParse({ publicKey, id, direction: 'out' }).success).toBe(false);
  });

  it('FILE-01: the largest transfer view fits a page’s byte budget, and a page of that budget fits in one bridge frame', () => {
    // The worst case byte for byte: control characters take 6 JSON bytes each (\u0001), quotes 2.
    const largest: FileTransferView = {
      id, peer: publicKey, direction: 'in', name: '\u0001'.repeat(FILE_LIMITS.maxOfferedNameChars), size: FILE_LIMITS.maxFileBytes,
      mime: `a/b;${'"'.repeat(FILE_LIMITS.maxMimeChars - 4)}`, caption: '\u0001'.repeat(FILE_LIMITS.maxCaptionChars),
      preview: { mime: 'image/png', data: png(FILE_LIMITS.maxPreviewBytes) }, state: 'failed', by: 'peer', bytesDone: 0, paused: false,
      failure: { code: 'X'.repeat(BRIDGE_LIMITS.errorCodeChars), message: '\u0001'.repeat(BRIDGE_LIMITS.reasonChars) },
      sentAt: Number.MAX_SAFE_INTEGER, finalName: null,
    };
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
    expect(bridgeEvents['files.offered'].safeParse({ transfer: largest, autoAccepted: false }).success).toBe(true);
    // 16 of them do not fit in a frame: that is why a page is bounded by bytes too.
    expect(16 * bytes(largest)).toBeGreaterThan(BRIDGE_LIMITS.maxFrameBytes);
    expect(bytes(largest) + 1).toBeLessThanOrEqual(FILE_BRIDGE_LIMITS.listPageBytes);
    const envelope = bytes({ kind: 'result', id: Number.MAX_SAFE_INTEGER, ok: true, value: { transfers: [], olderCursor: id } });
    expect(envelope + FILE_BRIDGE_LIMITS.listPageBytes).toBeLessThanOrEqual(BRIDGE_LIMITS.maxFrameBytes);
  });
});

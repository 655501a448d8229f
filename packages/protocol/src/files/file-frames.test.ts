import { describe, expect, it } from 'vitest';
import { bytesToBase64url } from '../encoding/bytes';
import { encodeFileFrame, FILE_LIMITS, fileChannelLabel, parseFileFrame, transferIdOfLabel, type FileFrame } from './index';

const id = bytesToBase64url(new Uint8Array(16).fill(9));
const sha256 = bytesToBase64url(new Uint8Array(32).fill(3));
const png = bytesToBase64url(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
const offer = {
  type: 'file.offer',
  id,
  name: 'photo.png',
  size: 1234,
  mime: 'image/png',
  sha256,
  caption: 'look',
  preview: { mime: 'image/png', data: png },
  sentAt: 5,
} as const;

describe('file frames (FILE-01..03, PROTOCOL.md §8)', () => {
  it('FILE-01: every frame type round-trips through its JSON text', () => {
    const frames: FileFrame[] = [
      offer,
      { ...offer, caption: null, preview: null, size: 0 },
      { type: 'file.accept', id, offset: 0 },
      { type: 'file.accept', id, offset: 0, window: FILE_LIMITS.minWindowBytes },
      { type: 'file.ack', id, bytes: 262144 },
      { type: 'file.decline', id },
      { type: 'file.cancel', id },
      { type: 'file.progress', id, bytes: 77 },
      { type: 'file.complete', id, sha256 },
      { type: 'file.error', id, code: 'HASH_MISMATCH', message: 'The file did not match.' },
    ];
    for (const frame of frames) expect(parseFileFrame(encodeFileFrame(frame))).toEqual({ ok: true, frame });
  });

  it('FILE-01: bad input is refused with its path and a problem, never thrown', () => {
    expect(parseFileFrame('{nope')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseFileFrame({ type: 'file.teleport', id })).toMatchObject({ ok: false, problem: 'unknown-type', type: 'file.teleport' });
    expect(parseFileFrame({ ...offer, id: 'short' })).toMatchObject({ ok: false, issues: [{ path: 'id' }] });
    expect(parseFileFrame({ ...offer, size: -1 })).toMatchObject({ ok: false, issues: [{ path: 'size' }] });
    expect(parseFileFrame({ ...offer, size: 1.5 })).toMatchObject({ ok: false, issues: [{ path: 'size' }] });
    expect(parseFileFrame({ ...offer, size: FILE_LIMITS.maxFileBytes + 1 })).toMatchObject({ ok: false, problem: 'oversized' });
    expect(parseFileFrame({ ...offer, mime: 'not a type' })).toMatchObject({ ok: false, issues: [{ path: 'mime' }] });
    expect(parseFileFrame({ ...offer, sha256: id })).toMatchObject({ ok: false, issues: [{ path: 'sha256' }] });
    expect(parseFileFrame({ ...offer, caption: '   ' })).toMatchObject({ ok: false, issues: [{ path: 'caption' }] });
    expect(parseFileFrame({ type: 'file.accept', id, offset: -5 })).toMatchObject({ ok: false, issues: [{ path: 'offset' }] });
    expect(parseFileFrame({ type: 'file.accept', id, offset: 0, window: FILE_LIMITS.minWindowBytes - 1 })).toMatchObject({ ok: false, issues: [{ path: 'window' }] });
    expect(parseFileFrame({ type: 'file.accept', id, offset: 0, window: FILE_LIMITS.maxWindowBytes + 1 })).toMatchObject({ ok: false, issues: [{ path: 'window' }] });
    expect(parseFileFrame({ type: 'file.ack', id, bytes: -1 })).toMatchObject({ ok: false, issues: [{ path: 'bytes' }] });
    expect(parseFileFrame({ type: 'file.error', id, code: 'NOPE', message: '' })).toMatchObject({ ok: false, issues: [{ path: 'code' }] });
    expect(parseFileFrame(null)).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseFileFrame([offer])).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('FILE-01: sizes are bounded: the frame, the name, the caption, the preview', () => {
    expect(parseFileFrame(JSON.stringify({ ...offer, caption: 'x'.repeat(FILE_LIMITS.maxControlFrameBytes) }))).toMatchObject({ ok: false, problem: 'oversized', type: null });
    expect(parseFileFrame({ ...offer, name: 'n'.repeat(FILE_LIMITS.maxOfferedNameChars + 1) })).toMatchObject({ ok: false, problem: 'oversized' });
    expect(parseFileFrame({ ...offer, caption: 'c'.repeat(FILE_LIMITS.maxCaptionChars + 1) })).toMatchObject({ ok: false, problem: 'oversized' });
    expect(parseFileFrame({ ...offer, caption: '😀'.repeat(FILE_LIMITS.maxCaptionChars) })).toMatchObject({ ok: true });
    const bigPreview = new Uint8Array(FILE_LIMITS.maxPreviewBytes + 3);
    bigPreview.set([0xff, 0xd8, 0xff]);
    expect(parseFileFrame({ ...offer, preview: { mime: 'image/jpeg', data: bytesToBase64url(bigPreview) } })).toMatchObject({ ok: false, problem: 'oversized' });
    // The largest legal offer still fits the frame limit.
    const maxPreview = new Uint8Array(FILE_LIMITS.maxPreviewBytes);
    maxPreview.set([0xff, 0xd8, 0xff]);
    const largest = encodeFileFrame({ ...offer, name: '😀'.repeat(512), caption: '😀'.repeat(FILE_LIMITS.maxCaptionChars), preview: { mime: 'image/jpeg', data: bytesToBase64url(maxPreview) } });
    expect(parseFileFrame(largest)).toMatchObject({ ok: true });
  });

  it('FILE-03: a preview is a JPEG, PNG or WebP whose bytes say so (a script labelled image/png is refused)', () => {
    const script = bytesToBase64url(new TextEncoder().encode('#!/bin/sh\nrm -rf ~\n'));
    expect(parseFileFrame({ ...offer, preview: { mime: 'image/png', data: script } })).toMatchObject({ ok: false, issues: [{ path: 'preview.data' }] });
    expect(parseFileFrame({ ...offer, preview: { mime: 'image/svg+xml', data: png } })).toMatchObject({ ok: false, issues: [{ path: 'preview.mime' }] });
    const webp = new Uint8Array(16);
    webp.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
    expect(parseFileFrame({ ...offer, preview: { mime: 'image/webp', data: bytesToBase64url(webp) } })).toMatchObject({ ok: true });
  });

  it('FILE-01: a transfer channel is labelled with its transfer ID; other labels are not transfers', () => {
    expect(transferIdOfLabel(fileChannelLabel(id))).toBe(id);
    expect(transferIdOfLabel('dopus-link')).toBeNull();
    expect(transferIdOfLabel('dopus-file:../../x')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { bytesToBase64url } from '../encoding/bytes';
import { encodeMessageFrame, MESSAGE_LIMITS, parseMessageFrame, type MessageFrame } from './index';

const author = bytesToBase64url(new Uint8Array(32).fill(7));
const id = bytesToBase64url(new Uint8Array(16).fill(9));
const send = { type: 'message.send', seq: 1, author, id, sentAt: 5, text: 'hi', replyTo: null, editedAt: null, deleted: false } as const;

describe('message frames (MSG-01..03, PROTOCOL.md §7)', () => {
  it('MSG-01: every frame type round-trips through its JSON text', () => {
    const frames: MessageFrame[] = [
      send,
      { type: 'message.edit', seq: 2, author, id, text: 'hi!', editedAt: 6 },
      { type: 'message.delete', seq: 3, author, id, deletedAt: 7 },
      { type: 'message.react', seq: 4, author, id, emoji: '👍🏽', on: true, at: 8 },
      { type: 'message.ack', upTo: 4 },
      { type: 'message.resume', received: 3, read: null },
      { type: 'receipt.read', upTo: 2 },
      { type: 'typing.state', typing: true },
    ];
    for (const frame of frames) expect(parseMessageFrame(encodeMessageFrame(frame))).toEqual({ ok: true, frame });
  });

  it('MSG-02: message.resume may name both numbering epochs and its first unacknowledged number; a bad epoch is refused', () => {
    const resume = { type: 'message.resume', received: 3, read: 0, epoch: 'q83vEjRWeJA', receivedEpoch: null, from: 4 } as const;
    expect(parseMessageFrame(encodeMessageFrame(resume))).toEqual({ ok: true, frame: resume });
    expect(parseMessageFrame({ type: 'message.resume', received: 0, read: null })).toMatchObject({ ok: true }); // a peer without epochs
    for (const epoch of ['q83vEjRWeJB', 'q83vEjRWeJ', 'q83vEjRWeJA=', 'q83vEjRWe+A']) {
      expect(parseMessageFrame({ ...resume, epoch }), epoch).toMatchObject({ ok: false });
    }
    expect(parseMessageFrame({ ...resume, from: 0 })).toMatchObject({ ok: false });
  });

  it('MSG-01: oversized frames and texts are refused as "oversized" before or without decoding', () => {
    const huge = JSON.stringify({ ...send, text: 'x'.repeat(MESSAGE_LIMITS.maxFrameBytes) });
    expect(parseMessageFrame(huge)).toMatchObject({ ok: false, problem: 'oversized' });
    expect(parseMessageFrame({ ...send, text: 'x'.repeat(4001) })).toMatchObject({ ok: false, problem: 'oversized' });
    expect(parseMessageFrame({ ...send, text: '😀'.repeat(4000) })).toMatchObject({ ok: true });
  });

  it('MSG-01: malformed frames are refused with every failing path, never thrown', () => {
    expect(parseMessageFrame('{nope')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseMessageFrame({ type: 'message.fly' })).toMatchObject({ ok: false, problem: 'unknown-type', type: 'message.fly' });
    const bad = parseMessageFrame({ ...send, seq: 0, id: 'short', text: 'Cafe\u0301' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path).sort()).toEqual(['id', 'seq', 'text']);
    // A tombstone has no text, and only a tombstone.
    expect(parseMessageFrame({ ...send, text: '' })).toMatchObject({ ok: false });
    expect(parseMessageFrame({ ...send, text: '', deleted: true })).toMatchObject({ ok: true });
    expect(parseMessageFrame({ type: 'message.react', seq: 1, author, id, emoji: 'abc', on: true, at: 1 })).toMatchObject({ ok: false });
    for (const junk of [null, 42, [], 'null', '"x"', { type: 7 }]) expect(parseMessageFrame(junk).ok).toBe(false);
  });
});

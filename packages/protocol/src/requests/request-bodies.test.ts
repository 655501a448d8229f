import { describe, expect, it } from 'vitest';
import { CanonicalWriter } from '../signing/canonical-writer';
import { parseRequestBody, REQUEST_LIMITS, requestNoteJsonBytes, requestNoteSchema } from './request-bodies';
import { readSealedRequest, sealedRequestBody } from './request-layout';

const card = { displayName: 'Alice', updatedAtMs: 1_767_225_600_000, signature: 'A'.repeat(86) };

describe('contact request bodies and layout (CONT-06, PROTOCOL.md 5.13)', () => {
  it('CONT-06: accepts the two bodies and refuses unknown fields, long or controlled notes, and oversize text, naming each path', () => {
    expect(parseRequestBody(JSON.stringify({ type: 'request.send', card, note: 'hi\nthere' }))).toMatchObject({ ok: true });
    expect(parseRequestBody(JSON.stringify({ type: 'request.accepted', card }))).toMatchObject({ ok: true });
    expect(parseRequestBody(JSON.stringify({ type: 'request.send', card, note: '😀'.repeat(280) })).ok).toBe(true);
    const bad = parseRequestBody(JSON.stringify({ type: 'request.send', card: { ...card, extra: 1 }, note: '😀'.repeat(281) }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.join(' | ')).toMatch(/card.*extra|unrecognized/i);
    if (!bad.ok) expect(bad.issues.join(' | ')).toMatch(/note: a note is at most 280/);
    expect(parseRequestBody(JSON.stringify({ type: 'request.send', card, note: 'a\u202eb' })).ok).toBe(false);
    for (const note of ['a\ud800b', 'a\udc00', '\ud800', 'a\u200eb', 'a\u200fb', 'a\u061cb', 'a\u2028b', 'a\u2029b']) {
      expect(requestNoteSchema.safeParse(note).success, JSON.stringify(note)).toBe(false);
    }
    expect(requestNoteSchema.safeParse('ok 😀 \n "quoted"').success).toBe(true);
    expect(requestNoteJsonBytes('😀'.repeat(280))).toBeLessThanOrEqual(REQUEST_LIMITS.noteJsonBytes);
    expect(parseRequestBody(JSON.stringify({ type: 'request.accepted', card, note: '' })).ok).toBe(false);
    expect(parseRequestBody(JSON.stringify({ type: 'request.maybe', card })).ok).toBe(false);
    expect(parseRequestBody('{')).toEqual({ ok: false, issues: ['the body is not JSON'] });
    expect(parseRequestBody(JSON.stringify({ type: 'request.send', card, note: 'x'.repeat(3000) }))).toEqual({ ok: false, issues: ['the body is too large'] });
  });

  it('CONT-06: the signed body reads back exactly; trailing or missing bytes are refused', () => {
    const fields = { senderPublicKey: new Uint8Array(32).fill(1), recipientPublicKey: new Uint8Array(32).fill(2), requestId: 'AAAAAAAAAAAAAAAAAAAAAA', sentAtMs: 5, bodyJson: '{}' };
    const body = sealedRequestBody(fields);
    expect(body).toEqual(
      new CanonicalWriter().bytes(fields.senderPublicKey).bytes(fields.recipientPublicKey).text(fields.requestId).u64(5).text('{}').finish(),
    );
    const plaintext = new Uint8Array([...body, ...new Uint8Array(64).fill(9)]);
    expect(readSealedRequest(plaintext)?.fields).toEqual(fields);
    expect(readSealedRequest(new Uint8Array([...body, 0, ...new Uint8Array(64)]))).toBeNull();
    expect(readSealedRequest(plaintext.subarray(1))).toBeNull();
    expect(readSealedRequest(new Uint8Array(63))).toBeNull();
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { bytesToBase64url, LIMITS, parseClientMessage } from '@discordopus/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickSignalSend } from './relay-envelope';

function realKey(): string {
  const spki = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  return bytesToBase64url(new Uint8Array(spki.subarray(spki.length - 32)));
}

const good = realKey();
// Same length as a key, but not canonical base64url (the last character carries stray bits).
const nonCanonical = `${good.slice(0, 42)}${good.endsWith('B') ? 'C' : 'B'}`;
const known = (k: string): boolean => k === good;
const everyKeyKnown = (k: string): boolean => k === good || k === nonCanonical;

const idArb = fc.oneof(fc.string({ minLength: 0, maxLength: 70 }), fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), fc.constant('m1'), fc.integer());
const toArb = fc.oneof(fc.constant(good), fc.constant(nonCanonical), fc.string({ minLength: 43, maxLength: 43 }), fc.constant(42), fc.constant(null));
const payloadArb = fc.oneof(
  fc.string({ minLength: 0, maxLength: 40 }),
  fc.constantFrom('', 'x'.repeat(LIMITS.maxSignalPayloadChars), 'x'.repeat(LIMITS.maxSignalPayloadChars + 1)),
  fc.constant(7),
);
const envelopeArb = fc.record(
  {
    type: fc.constantFrom('signal.send', 'contact.request.send', 'signal.relay', 'other'),
    id: idArb,
    to: toArb,
    payload: payloadArb,
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('quickSignalSend: the relay fast lane (INFR-01, INFR-04)', () => {
  it('INFR-04: accepts only what the protocol schema accepts, and yields the same message', () => {
    fc.assert(
      fc.property(fc.oneof(envelopeArb, fc.anything()), (value) => {
        const quick = quickSignalSend(value, known);
        if (quick === null) return;
        const full = parseClientMessage(value);
        expect(full.ok).toBe(true);
        if (full.ok) expect(quick).toEqual(full.message);
      }),
      { numRuns: 3_000 },
    );
  });

  it('INFR-01: takes a valid signal.send with a known target, unknown fields dropped', () => {
    const value = { type: 'signal.send', id: 'req-1', to: good, payload: 'sealed', extra: { a: 1 } };
    expect(quickSignalSend(value, known)).toEqual({ type: 'signal.send', id: 'req-1', to: good, payload: 'sealed' });
    const longest = { type: 'signal.send', id: 'a'.repeat(64), to: good, payload: 'x'.repeat(LIMITS.maxSignalPayloadChars) };
    expect(quickSignalSend(longest, known)).toEqual(longest);
  });

  it('INFR-04: leaves to the full parser a target it does not know, and every out-of-bounds field', () => {
    const base = { type: 'signal.send', id: 'r', to: good, payload: 'p' };
    expect(quickSignalSend({ ...base, to: realKey() }, known)).toBeNull();
    // Even a lookup that says yes is not trusted for a target of the wrong length.
    expect(quickSignalSend({ ...base, to: `${good}A` }, () => true)).toBeNull();
    for (const bad of [
      { ...base, id: '' },
      { ...base, id: 'a'.repeat(65) },
      { ...base, id: 'has space' },
      { ...base, id: 5 },
      { ...base, payload: '' },
      { ...base, payload: 'x'.repeat(LIMITS.maxSignalPayloadChars + 1) },
      { ...base, payload: null },
      { ...base, type: 'contact.request.send' },
      [base],
      null,
      'signal.send',
    ]) {
      expect(quickSignalSend(bad, everyKeyKnown)).toBeNull();
    }
  });
});

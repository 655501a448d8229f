import { generateKeyPairSync } from 'node:crypto';
import { bytesToBase64url, LIMITS } from '@discordopus/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backplaneEnvelopeSchema, decodeEnvelope, quickRelayDelivery } from './backplane';

function realKey(): string {
  const spki = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  return bytesToBase64url(new Uint8Array(spki.subarray(spki.length - 32)));
}

const key = realKey();
const nonCanonical = `${key.slice(0, 42)}${key.endsWith('B') ? 'C' : 'B'}`;
const str = (max: number) => fc.string({ minLength: 0, maxLength: max });
const keyArb = fc.oneof({ arbitrary: fc.constant(key), weight: 6 }, fc.constant(nonCanonical), fc.string({ minLength: 43, maxLength: 43 }), str(50), fc.integer());
const idArb = fc.oneof(str(70), { arbitrary: fc.constant('n1'), weight: 4 }, fc.integer());
const payloadArb = fc.oneof(str(20), fc.constantFrom('x'.repeat(LIMITS.maxSignalPayloadChars), 'x'.repeat(LIMITS.maxSignalPayloadChars + 1)), fc.constant(null));
const envelopeArb = fc.record(
  {
    origin: idArb,
    extra: fc.anything(),
    message: fc.record(
      {
        type: fc.constantFrom('session.deliver', 'session.deliver', 'record.remove', 'node.alive'),
        publicKey: keyArb,
        sessionId: idArb,
        message: fc.record(
          { type: fc.constantFrom('signal.relay', 'signal.relay', 'contact.request'), from: keyArb, payload: payloadArb, more: fc.anything() },
          { requiredKeys: ['type', 'from', 'payload'] },
        ),
      },
      { requiredKeys: ['type', 'publicKey', 'sessionId', 'message'] },
    ),
  },
  { requiredKeys: ['origin', 'message'] },
);

describe('quickRelayDelivery: the backplane relay fast lane (INFR-06)', () => {
  it('INFR-06: accepts only what the backplane schema accepts, and yields the same envelope', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: envelopeArb, weight: 4 }, fc.anything()), (value) => {
        const quick = quickRelayDelivery(value);
        if (quick === null) return;
        accepted++;
        const full = backplaneEnvelopeSchema.safeParse(value);
        expect(full.success).toBe(true);
        expect(quick).toEqual(full.data);
      }),
      { numRuns: 5_000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('INFR-06: a relay delivery decodes through the fast lane; a non-canonical sender falls to the schema and is dropped', () => {
    const envelope = { origin: 'n1', message: { type: 'session.deliver', publicKey: key, sessionId: 's1', message: { type: 'signal.relay', from: key, payload: 'sealed' } } };
    expect(quickRelayDelivery(envelope)).toEqual(envelope);
    expect(decodeEnvelope(JSON.stringify(envelope))).toEqual(envelope);
    const forged = { ...envelope, message: { ...envelope.message, message: { type: 'signal.relay', from: nonCanonical, payload: 'x' } } };
    expect(quickRelayDelivery(forged)).toBeNull();
    expect(decodeEnvelope(JSON.stringify(forged))).toBeNull();
  });
});

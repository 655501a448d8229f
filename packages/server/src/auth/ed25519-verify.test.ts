import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { hexToBytes, publicKeyProblem, SMALL_ORDER_KEYS } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from './ed25519-verify';

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, raw: new Uint8Array(spki.subarray(spki.length - 32)) };
}

describe('verifyEd25519 (INFR-04)', () => {
  const message = new TextEncoder().encode('discordopus/v1/auth test body');

  it('INFR-04: accepts a good signature and refuses a changed message, signature or key', () => {
    const a = keyPair();
    const b = keyPair();
    const sig = new Uint8Array(sign(null, message, a.privateKey));
    expect(verifyEd25519(a.raw, message, sig)).toBe(true);
    const otherMessage = message.slice();
    otherMessage[0] = (otherMessage[0] as number) ^ 1;
    expect(verifyEd25519(a.raw, otherMessage, sig)).toBe(false);
    const badSig = sig.slice();
    badSig[10] = (badSig[10] as number) ^ 1;
    expect(verifyEd25519(a.raw, message, badSig)).toBe(false);
    expect(verifyEd25519(b.raw, message, sig)).toBe(false);
  });

  it('INFR-04: a malformed key or signature is false, never a throw', () => {
    const a = keyPair();
    const sig = new Uint8Array(sign(null, message, a.privateKey));
    expect(verifyEd25519(new Uint8Array(31), message, sig)).toBe(false);
    expect(verifyEd25519(a.raw, message, sig.subarray(0, 63))).toBe(false);
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), message, sig)).toBe(false);
    // A key that is a view into a larger buffer is read at its own offset.
    const padded = new Uint8Array(40);
    padded.set(a.raw, 8);
    expect(verifyEd25519(padded.subarray(8), message, sig)).toBe(true);
  });
});

describe('verifyEd25519 and small-order keys (INFR-04)', () => {
  it('INFR-04: node:crypto alone accepts the trivial signature (R = identity, S = 0) for the identity key: the key check must stop it', () => {
    const identity = hexToBytes(SMALL_ORDER_KEYS[0] as string);
    const trivial = new Uint8Array(64);
    trivial.set(identity, 0); // R = identity, S = 0
    const message = new TextEncoder().encode('any message at all');
    const accepted = SMALL_ORDER_KEYS.filter((hex) => verifyEd25519(hexToBytes(hex), message, trivial));
    // What OpenSSL does on this machine: it verifies. If this ever changes, the key check in
    // checkAuthProof stays the guard; this test records why it is needed.
    expect(accepted).toContain(SMALL_ORDER_KEYS[0]);
    for (const hex of accepted) expect(publicKeyProblem(hexToBytes(hex))).toBe('small_order');
  });

  it('INFR-04: under a key off the curve no signature verifies: a login leaves the curve test to this check (PublicKeyGate.admissible)', () => {
    const message = new TextEncoder().encode('discordopus/v1/auth off-curve body');
    const a = keyPair();
    const real = new Uint8Array(sign(null, message, a.privateKey));
    const trivial = Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0));
    let offCurve = 0;
    while (offCurve < 200) {
      const key = new Uint8Array(randomBytes(32));
      key[31] = (key[31] as number) & 0x7f;
      if (publicKeyProblem(key) !== 'not_on_curve') continue;
      offCurve++;
      for (const sig of [real, trivial, new Uint8Array(64), new Uint8Array(randomBytes(64))]) expect(verifyEd25519(key, message, sig)).toBe(false);
    }
  });
});

import { bytesToBase64url, hexToBytes, SMALL_ORDER_KEYS, smallOrderAliases } from '@discordopus/protocol';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PublicKeyGate } from './public-key-gate';

function realKey(): string {
  const spki = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  return bytesToBase64url(new Uint8Array(spki.subarray(spki.length - 32)));
}

describe('PublicKeyGate (INFR-04)', () => {
  it('INFR-04: lets real keys through and stops small-order ones', () => {
    const gate = new PublicKeyGate();
    const good = realKey();
    expect(gate.usable(good)).toBe(true);
    for (const hex of SMALL_ORDER_KEYS) expect(gate.usable(bytesToBase64url(hexToBytes(hex)))).toBe(false);
    const identity = bytesToBase64url(hexToBytes(SMALL_ORDER_KEYS[0] as string));
    expect(gate.firstUnusableContact([good, identity])).toBe(identity);
    for (const hex of [...SMALL_ORDER_KEYS, ...smallOrderAliases()]) {
      const key = bytesToBase64url(hexToBytes(hex));
      expect(gate.firstUnusableContact([good, key]), hex).toBe(key);
    }
    expect(gate.firstUnusableContact([good, realKey()])).toBeNull();
    // Off the curve (y = 2): refused at login, let through in a contact list, where it is inert.
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    expect(gate.usable(bytesToBase64url(offCurve))).toBe(false);
    expect(gate.firstUnusableContact([bytesToBase64url(offCurve)])).toBeNull();
  });

  it('INFR-04: remembers usable keys only, and no more than its capacity', () => {
    const gate = new PublicKeyGate(3);
    const keys = [realKey(), realKey(), realKey(), realKey()];
    for (const k of keys) expect(gate.usable(k)).toBe(true);
    gate.usable(bytesToBase64url(hexToBytes(SMALL_ORDER_KEYS[1] as string)));
    expect(gate.size).toBe(3);
  });

  it('INFR-04: a login key is admissible without the curve test, and usable once it verified a signature', () => {
    const gate = new PublicKeyGate();
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    const off = bytesToBase64url(offCurve);
    expect(gate.admissible(off)).toBe(true);
    expect(gate.knows(off)).toBe(false);
    expect(gate.usable(off)).toBe(false);
    for (const hex of [...SMALL_ORDER_KEYS, ...smallOrderAliases()]) expect(gate.admissible(bytesToBase64url(hexToBytes(hex))), hex).toBe(false);
    const good = realKey();
    expect(gate.admissible(good)).toBe(true);
    expect(gate.knows(good)).toBe(false);
    gate.verified(good);
    expect(gate.knows(good)).toBe(true);
  });
});

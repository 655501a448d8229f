import { ed25519 } from '@noble/curves/ed25519.js';
import { signingInput } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keyPairFromSeed, privateKeyFromSeed, signForPurpose, verifyForPurpose } from './ed25519';
import { Identity, normalizeDisplayName } from './identity';

const body = new TextEncoder().encode('the canonical body');

describe('Ed25519 with domain separation (IDEN-01)', () => {
  it('IDEN-01: a signature verifies for its own purpose and key only', () => {
    const x = generateKeyPair();
    const y = generateKeyPair();
    const sig = signForPurpose(privateKeyFromSeed(x.seed), 'auth', body);
    expect(verifyForPurpose(x.publicKey, 'auth', body, sig)).toBe(true);
    expect(verifyForPurpose(x.publicKey, 'signal', body, sig)).toBe(false);
    expect(verifyForPurpose(x.publicKey, 'contactRequest', body, sig)).toBe(false);
    expect(verifyForPurpose(y.publicKey, 'auth', body, sig)).toBe(false);
    expect(verifyForPurpose(x.publicKey, 'auth', Uint8Array.of(...body, 0), sig)).toBe(false);
  });

  it('never throws on malformed keys or signatures', () => {
    const x = generateKeyPair();
    const sig = signForPurpose(privateKeyFromSeed(x.seed), 'auth', body);
    expect(verifyForPurpose(new Uint8Array(31), 'auth', body, sig)).toBe(false);
    expect(verifyForPurpose(x.publicKey, 'auth', body, sig.subarray(0, 63))).toBe(false);
    expect(verifyForPurpose(new Uint8Array(32), 'auth', body, sig)).toBe(false);
  });

  it('IDEN-01: the seed restores the same key pair', () => {
    const x = generateKeyPair();
    expect(keyPairFromSeed(x.seed)).toEqual(x);
  });

  it('IDEN-01: interoperates with @noble/curves in both directions', () => {
    for (let i = 0; i < 20; i++) {
      const x = generateKeyPair();
      expect(ed25519.getPublicKey(x.seed)).toEqual(x.publicKey);
      const ours = signForPurpose(privateKeyFromSeed(x.seed), 'signal', body);
      expect(ed25519.verify(ours, signingInput('signal', body), x.publicKey)).toBe(true);
      const theirs = ed25519.sign(signingInput('auth', body), x.seed);
      expect(theirs).toEqual(signForPurpose(privateKeyFromSeed(x.seed), 'auth', body));
      expect(verifyForPurpose(x.publicKey, 'auth', body, theirs)).toBe(true);
      expect(verifyForPurpose(x.publicKey, 'signal', body, theirs)).toBe(false);
    }
  });
});

describe('Identity (IDEN-01)', () => {
  it('IDEN-01: creates a local key pair with a display name and a user ID', () => {
    const a = Identity.create('  Alice ');
    expect(a.displayName).toBe('Alice');
    expect(a.userId).toMatch(/^dopus1[a-z0-9]{58}$/);
    const again = Identity.fromSeed(a.exportSeed(), 'Alice');
    expect(again.userId).toBe(a.userId);
    expect(Identity.create('Alice').userId).not.toBe(a.userId);
  });

  it('keeps the private key out of JSON and inspection', async () => {
    const a = Identity.create('Alice');
    const { inspect } = await import('node:util');
    const seedHex = Buffer.from(a.exportSeed()).toString('hex');
    expect(JSON.stringify(a)).not.toContain(seedHex);
    expect(inspect(a)).not.toContain(seedHex);
  });

  it('refuses empty, over-long and control-character display names', () => {
    expect(() => normalizeDisplayName('   ')).toThrow(/empty/);
    expect(() => normalizeDisplayName('x'.repeat(65))).toThrow(/at most 64/);
    expect(() => normalizeDisplayName('a\nb')).toThrow(/control/);
    expect(normalizeDisplayName('é'.repeat(64))).toHaveLength(64);
  });
});

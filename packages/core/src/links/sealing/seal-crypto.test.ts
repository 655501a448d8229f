import { randomBytes } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SEAL_INFO_PREFIX } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../identity/ed25519';
import {
  aeadOpen,
  aeadSeal,
  sealKey,
  x25519Agree,
  x25519FromSecret,
  x25519Generate,
  x25519PublicFromEd25519,
  x25519SecretFromSeed,
} from './seal-crypto';

const rand = (n: number) => new Uint8Array(randomBytes(n));

describe('seal primitives agree with an independent implementation (P2P-04)', () => {
  it('P2P-04: X25519 keys from node:crypto match @noble/curves', () => {
    for (let i = 0; i < 5; i++) {
      const secret = rand(32);
      expect(x25519FromSecret(secret).publicKey).toEqual(x25519.getPublicKey(secret));
      const generated = x25519Generate();
      const d = Buffer.from(generated.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
      expect(generated.publicKey).toEqual(x25519.getPublicKey(d));
    }
  });

  it('P2P-04: the X25519 key derived from an Ed25519 seed belongs to the one derived from its public key', () => {
    for (let i = 0; i < 5; i++) {
      const ed = generateKeyPair();
      const fromPublic = x25519PublicFromEd25519(ed.publicKey);
      expect(fromPublic).toEqual(x25519.getPublicKey(x25519SecretFromSeed(ed.seed)));
      expect(fromPublic).toEqual(ed25519.utils.toMontgomery(ed.publicKey));
    }
    expect(x25519PublicFromEd25519(new Uint8Array(31))).toBeNull();
  });

  it('P2P-04: X25519, HKDF and ChaCha20-Poly1305 give the bytes @noble computes', () => {
    const a = rand(32);
    const b = x25519FromSecret(rand(32));
    const shared = x25519Agree(x25519FromSecret(a).privateKey, b.publicKey);
    expect(shared).toEqual(x25519.getSharedSecret(a, b.publicKey));
    const eph = rand(32);
    const recipient = rand(32);
    const info = new Uint8Array([...new TextEncoder().encode(SEAL_INFO_PREFIX), ...eph, ...recipient]);
    const key = sealKey(shared as Uint8Array, eph, recipient);
    expect(key).toEqual(hkdf(sha256, shared as Uint8Array, new Uint8Array(0), info, 32));
    const nonce = rand(12);
    const plaintext = rand(300);
    const sealed = aeadSeal(key, nonce, plaintext);
    expect(sealed).toEqual(chacha20poly1305(key, nonce).encrypt(plaintext));
    expect(aeadOpen(key, nonce, sealed)).toEqual(plaintext);
    sealed[5] = (sealed[5] ?? 0) ^ 1;
    expect(aeadOpen(key, nonce, sealed)).toBeNull();
  });

  it('P2P-04: a low-order peer key gives no shared secret instead of an all-zero key', () => {
    const own = x25519FromSecret(rand(32));
    expect(x25519Agree(own.privateKey, new Uint8Array(32))).toBeNull();
    expect(x25519Agree(own.privateKey, Uint8Array.of(1, ...new Uint8Array(31)))).toBeNull();
  });
});

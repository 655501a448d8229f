import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { PUBLIC_KEY_BYTES, signingInput, type SigningPurpose } from '@discordopus/protocol';

/**
 * Ed25519 through node:crypto (OpenSSL). Keys cross this module's boundary only as raw bytes:
 * a 32-byte public key and a 32-byte private seed.
 */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export const SEED_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export interface RawKeyPair {
  publicKey: Uint8Array;
  /** The 32-byte private seed. Secret: stored only inside the vault. */
  seed: Uint8Array;
}

export function generateKeyPair(): RawKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  return keyPairFromPrivateKey(privateKey);
}

export function keyPairFromSeed(seed: Uint8Array): RawKeyPair {
  return keyPairFromPrivateKey(privateKeyFromSeed(seed));
}

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== SEED_BYTES) throw new RangeError(`An Ed25519 seed is ${SEED_BYTES} bytes.`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * Imported as a JWK: OpenSSL 3's generic DER decoder costs as much as a verify (the server's
 * bench:auth-rate profile found this; packages/server/src/auth/ed25519-verify.ts does the same).
 */
export function publicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new RangeError(`An Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes.`);
  const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

function keyPairFromPrivateKey(privateKey: KeyObject): RawKeyPair {
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return {
    seed: new Uint8Array(pkcs8.subarray(PKCS8_PREFIX.length)),
    publicKey: new Uint8Array(spki.subarray(SPKI_PREFIX.length)),
  };
}

/** Sign `body` for one purpose (domain separation is not optional). */
export function signForPurpose(privateKey: KeyObject, purpose: SigningPurpose, body: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, signingInput(purpose, body), privateKey));
}

/**
 * Verify a signature made by `publicKey` over `body` for `purpose`. Never throws on bad input:
 * a malformed key or a signature of the wrong length is simply not valid.
 */
export function verifyForPurpose(
  publicKey: Uint8Array | KeyObject,
  purpose: SigningPurpose,
  body: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    const key = publicKey instanceof Uint8Array ? publicKeyObject(publicKey) : publicKey;
    return verify(null, signingInput(purpose, body), key, signature);
  } catch {
    return false;
  }
}

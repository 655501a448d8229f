import { createPublicKey, verify } from 'node:crypto';

/**
 * Ed25519 verification of raw bytes; false (never a throw) for a malformed key or signature.
 *
 * The raw key is imported as a JWK (`OKP`/`Ed25519`), which hands the 32 bytes to OpenSSL
 * directly. Importing it as DER SubjectPublicKeyInfo goes through OpenSSL 3's generic decoder
 * and cost as much as the signature check itself (bench:auth-rate profile: createPublicKey 9 %
 * of server CPU, verify 8 %).
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64url');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

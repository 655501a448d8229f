export { Identity, normalizeDisplayName, DISPLAY_NAME_MAX } from './identity/identity';
export { IdentityError, type IdentityErrorCode } from './identity/identity-error';
export {
  generateKeyPair,
  keyPairFromSeed,
  signForPurpose,
  verifyForPurpose,
  publicKeyObject,
  privateKeyFromSeed,
  SEED_BYTES,
  SIGNATURE_BYTES,
  type RawKeyPair,
} from './identity/ed25519';

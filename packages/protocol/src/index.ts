export { DiscordOpusError } from './errors/discordopus-error';
export { UserIdError, type UserIdErrorCode } from './user-id/user-id-error';
export {
  USER_ID_PREFIX,
  USER_ID_LENGTH,
  PUBLIC_KEY_BYTES,
  encodeUserId,
  decodeUserId,
  isUserId,
  shortUserId,
} from './user-id/user-id';
export { CanonicalWriter } from './signing/canonical-writer';
export {
  SIGNING_PURPOSES,
  type SigningPurpose,
  signingInput,
  isSigningPurpose,
  type AuthProofFields,
  authProofBody,
} from './signing/purposes';
export {
  SAFETY_NUMBER_ITERATIONS,
  fingerprintDigits,
  safetyNumber,
  formatSafetyNumber,
} from './safety-number/safety-number';
export { PROTOCOL_VERSION } from './version';
export { bytesToHex, hexToBytes, bytesToBase64url, base64urlToBytes } from './encoding/bytes';

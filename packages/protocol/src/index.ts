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
export {
  PUBLIC_KEY_PROBLEMS,
  type PublicKeyProblem,
  type PublicKeyCheck,
  publicKeyProblem,
  isUsablePublicKey,
} from './keys/public-key-check';
export { SMALL_ORDER_KEYS, smallOrderAliases } from './keys/small-order-keys';
export { bytesToHex, hexToBytes, bytesToBase64url, base64urlToBytes } from './encoding/bytes';
export {
  PUBLIC_KEY_WIRE_CHARS,
  MAX_REQUEST_ID_CHARS,
  base64urlLength,
  publicKeySchema,
  nonceSchema,
  signatureSchema,
  requestIdSchema,
  millisSchema,
  OWN_STATUSES,
  ownStatusSchema,
  type OwnStatus,
  VISIBLE_STATUSES,
  visibleStatusSchema,
  type VisibleStatus,
  PEER_STATUSES,
  peerStatusSchema,
  type PeerStatus,
  CONTACT_STATUSES,
  contactStatusSchema,
  type ContactStatus,
} from './wire/primitives';
export { LIMITS, type Limits, computeMaxFrameBytes } from './wire/limits';
export {
  CLOSE_CODES,
  type CloseCode,
  type CloseCodeName,
  FATAL_CLOSE_CODES,
  isFatalCloseCode,
  closeCodeName,
  MAX_BUSY_RETRY_MS,
  busyCloseReason,
  retryDelayFromBusyReason,
} from './wire/close-codes';
export {
  authProofSchema,
  contactsSetSchema,
  presenceSetSchema,
  signalSendSchema,
  contactRequestSendSchema,
  iceRequestSchema,
  heartbeatPingSchema,
  clientMessageSchema,
  CLIENT_MESSAGE_TYPES,
  type ClientMessage,
  type ClientMessageType,
  type ClientMessageOf,
} from './wire/client-messages';
export {
  authHelloSchema,
  iceServerSchema,
  type IceServer,
  sessionLimitsSchema,
  type SessionLimits,
  authWelcomeSchema,
  presenceSnapshotSchema,
  presenceUpdateSchema,
  signalRelaySchema,
  SIGNAL_ERROR_CODES,
  type SignalErrorCode,
  signalErrorSchema,
  contactRequestSchema,
  CONTACT_REQUEST_ERROR_CODES,
  type ContactRequestErrorCode,
  contactRequestErrorSchema,
  iceServersSchema,
  heartbeatPongSchema,
  SESSION_ERROR_CODES,
  type SessionErrorCode,
  sessionErrorSchema,
  serverMessageSchema,
  SERVER_MESSAGE_TYPES,
  type ServerMessage,
  type ServerMessageType,
  type ServerMessageOf,
} from './wire/server-messages';
export {
  type WireIssue,
  type WireParseResult,
  parseClientMessage,
  parseServerMessage,
  parseClientFrame,
  parseServerFrame,
  encodeMessage,
} from './wire/parse';
export { type AuthProofInput, authProofSigningInput } from './wire/auth-proof';
export { canonicalServerId, isLoopbackHost } from './wire/server-id';
export { PASSPHRASE_MIN_CHARS, PASSPHRASE_MAX_CHARS } from './passphrase/passphrase-limits';
export {
  checkSignalingUrl,
  type SignalingUrlCheck,
  signalingUrlProblem,
  DEFAULT_SIGNALING_PORT,
  DEFAULT_SIGNALING_URL,
  SIGNALING_URL_MAX_CHARS,
} from './wire/signaling-url';
export * from './peer/index';
export * from './requests/index';

export { PEER_LIMITS, MAX_PEER_FRAME_BYTES, type PeerLimits } from './limits';
export {
  linkIdSchema,
  type LinkId,
  DTLS_FINGERPRINT_ALGORITHMS,
  dtlsFingerprintSchema,
  type DtlsFingerprint,
  fingerprintText,
  sameFingerprint,
  sdpFingerprint,
} from './primitives';
export { LINK_CLOSE_REASONS, linkCloseReasonSchema, type LinkCloseReason } from './close-reasons';
export {
  linkOfferSchema,
  linkAnswerSchema,
  linkCandidatesSchema,
  linkByeSchema,
  linkSignalBodySchema,
  LINK_SIGNAL_TYPES,
  type LinkCandidate,
  type LinkSignalBody,
  type LinkSignalType,
  type LinkSignalOf,
} from './link-signal-bodies';
export {
  PEER_PROTOCOL_VERSION,
  linkHelloSchema,
  linkPingSchema,
  linkPongSchema,
  profileCardSchema,
  linkCloseSchema,
  LINK_ERROR_CODES,
  linkErrorCodeSchema,
  type LinkErrorCode,
  linkErrorSchema,
  peerFrameSchema,
  PEER_FRAME_TYPES,
  type PeerFrame,
  type PeerFrameType,
  type PeerFrameOf,
  type MessagePeerFrame,
  isMessagePeerFrame,
  type CallPeerFrame,
  isCallPeerFrame,
} from './peer-frames';
export {
  PEER_PARSE_ERROR_CODES,
  type PeerParseErrorCode,
  type PeerParseResult,
  type PeerIssue,
  parsePeerFrame,
  validatePeerFrame,
  parseLinkSignalBody,
  encodePeerFrame,
  encodeLinkSignalBody,
} from './parse';
export {
  type SealedSignalFields,
  sealedSignalBody,
  readSealedSignal,
  type LinkHelloFields,
  linkHelloBody,
  type ProfileCardFields,
  profileCardBody,
} from './signed-bodies';
export {
  SEALED_SIGNAL_PREFIX,
  SEAL_INFO_PREFIX,
  SEAL_EPHEMERAL_BYTES,
  SEAL_NONCE_BYTES,
  SEAL_TAG_BYTES,
  SEAL_KEY_BYTES,
} from './seal-layout';

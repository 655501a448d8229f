import { LIMITS } from '../wire/limits';

/**
 * Limits of direct links (P2P-01..05), the same for every implementation. Units are in the
 * names. The set-up limits keep every sealed message inside the relay's
 * `LIMITS.maxSignalPayloadChars` (checked by a test), the frame limit keeps one control frame
 * far below libdatachannel's 256 KiB message ceiling.
 */
export const PEER_LIMITS = {
  /** Random bytes of a link id (base64url on the wire). */
  linkIdBytes: 16,
  /** Characters of an SDP description inside `link.offer` / `link.answer` (ASCII only). */
  maxSdpChars: 16 * 1024,
  /** Candidates in one `link.candidates`. */
  maxCandidatesPerMessage: 32,
  /** Characters of one ICE candidate line (ASCII only). */
  maxCandidateChars: 512,
  /** Characters of a media id (`mid`). */
  maxMidChars: 32,
  /** UTF-8 bytes of one set-up body (the JSON text that gets signed and sealed). */
  maxLinkSignalBodyBytes: 20 * 1024,
  /**
   * How far a set-up message's `sentAtMs` may be from the receiver's clock, either way. Both
   * peers passed their server's ±`authTimestampSkewMs` login check, so their clocks can differ by
   * twice that: a tighter window would refuse honest peers.
   */
  signalFreshnessMs: 2 * LIMITS.authTimestampSkewMs,
  /** The largest sealed payload: the relay's limit. */
  maxSealedPayloadChars: LIMITS.maxSignalPayloadChars,
  /** UTF-8 bytes of one peer frame on the data channel. */
  maxPeerFrameBytes: 64 * 1024,
  /** Characters of a heartbeat nonce. */
  maxPingNonceChars: 32,
} as const;

/** The largest peer frame, in UTF-8 bytes (a frame over it is refused with `TOO_LARGE`). */
export const MAX_PEER_FRAME_BYTES = PEER_LIMITS.maxPeerFrameBytes;

export type PeerLimits = typeof PEER_LIMITS;

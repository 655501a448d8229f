/**
 * Limits of the call frames (VOICE-01..04, PROTOCOL.md §9), shared by both ends of a link.
 * Units are in the names; PROTOCOL.md §9.4 restates them.
 */
export const CALL_LIMITS = {
  /** Bytes of a call ID (random): 128 bits. */
  callIdBytes: 16,
  /**
   * Characters of one SDP (offer, answer, restart). A one-audio-section Chromium offer is about
   * 2–3 KB; 16 KiB leaves room for extra codecs and header extensions and nothing else.
   */
  maxSdpChars: 16 * 1024,
  /** Candidates in one `call.candidates` batch. */
  maxCandidatesPerFrame: 32,
  /** Characters of one candidate line (`candidate:…`). */
  maxCandidateChars: 512,
  /** Characters of a media-section id (`a=mid`) and of an ICE username fragment. */
  maxMidChars: 32,
  maxUfragChars: 256,
  /** The highest m-line index a candidate may name (a call has one audio section). */
  maxMLineIndex: 15,
  /**
   * UTF-8 bytes of one encoded frame: the largest legal one is a restart or invite with a
   * 16 KiB SDP (JSON escapes `\r\n` as 4 characters), or a full candidates batch.
   */
  maxFrameBytes: 64 * 1024,
  /** How long the callee may ring before the caller gives up with `call.cancel` (reason `timeout`). */
  ringTimeoutMs: 30_000,
} as const;

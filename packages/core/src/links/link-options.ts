import { SETTINGS } from '../settings/settings-schema';

/**
 * Tunables of the link manager, with one defaults object (CONVENTIONS 11). Units in the names.
 */
export interface LinkTunables {
  /** Close a link when no application frame went either way for this long (P2P-01). */
  idleTimeoutMs: number;
  /** At most this many links at once; opening one more closes the least recently used. */
  maxLinks: number;
  /** From "open" to the handshake done; longer means `timeout`. */
  setupTimeoutMs: number;
  /** A ping every this often on an open link. */
  pingIntervalMs: number;
  /** Nothing heard for this long means the peer is dead (`peer-timeout`). With the ping
   * interval this notices a dead peer within deadAfterMs + pingIntervalMs (< 15 s). */
  deadAfterMs: number;
  /** Per-link frame budget from the peer: sustained rate and burst. */
  framesPerSecond: number;
  frameBurst: number;
  /** Malformed, oversized or unexpected frames tolerated before the link is closed. */
  maxOffences: number;
  /** Frames over the rate budget tolerated before the link is closed. */
  maxRateOffences: number;
  /** Frames queued by `send()` while a link is being set up. */
  maxQueuedFrames: number;
  /**
   * Back-pressure: `send()` refuses an application frame (returns false) while the channel holds
   * this many bytes not yet sent, and `drained` follows once it falls to `bufferedLowBytes`.
   */
  maxBufferedBytes: number;
  bufferedLowBytes: number;
  /**
   * While the user is invisible, an offer from a contact is answered only if this side asked for
   * a link to that contact itself (intent 'user') within this period (PRES-03, P2P-01).
   */
  userIntentWindowMs: number;
  /** Reopen attempts after an unexpected drop, while both are online. */
  maxReopenAttempts: number;
  reopenMinDelayMs: number;
  reopenMaxDelayMs: number;
}

export const LINK_DEFAULTS: LinkTunables = {
  // The user's setting (links.idleCloseMs) overrides it; one default for both.
  idleTimeoutMs: SETTINGS['links.idleCloseMs'].default,
  maxLinks: 32,
  setupTimeoutMs: 20_000,
  pingIntervalMs: 3_000,
  deadAfterMs: 10_000,
  // Chat: an outbox flushed on open, up to thousands of messages a second (message frames are
  // bounded by the sender's window and the frame size limit).
  framesPerSecond: 5_000,
  frameBurst: 2_000,
  maxOffences: 10,
  maxRateOffences: 50,
  maxQueuedFrames: 64,
  // ARCHITECTURE (throughput): chat next to a transfer stays fast with a 256 KiB buffer limit.
  maxBufferedBytes: 256 * 1024,
  bufferedLowBytes: 64 * 1024,
  userIntentWindowMs: 60_000,
  maxReopenAttempts: 8,
  reopenMinDelayMs: 500,
  reopenMaxDelayMs: 30_000,
};

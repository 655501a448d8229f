import { z } from 'zod';

/**
 * Why a link (or a link being set up) ends, as carried by `link.bye` (relayed) and
 * `link.close` (on the channel). Section 6.4 of PROTOCOL.md says when each is used.
 */
export const LINK_CLOSE_REASONS = [
  /** Nothing was sent for the idle period. */
  'idle',
  /** The app is quitting. */
  'shutdown',
  /** The vault was locked. */
  'locked',
  /** The contact was removed or blocked. */
  'contact-removed',
  /** The contact went offline. */
  'contact-offline',
  /** A newer link (or set-up) for the same pair replaces this one. */
  'replaced',
  /** Both sides offered at once and this side's offer lost the tie-break. */
  'glare',
  /** The concurrent-link cap closed the least recently used link. */
  'too-many-links',
  /** The set-up did not finish in time. */
  'timeout',
  /** The identity handshake failed (P2P-02). */
  'auth-failed',
  /** Relay-only is set and the selected candidate pair is not relayed (P2P-03). */
  'relay-required',
  /** Repeated malformed, oversized or unexpected frames. */
  'protocol-error',
  /** Repeated frames over the per-link rate limit. */
  'rate-limited',
  /** The heartbeat saw no answer in time. */
  'peer-timeout',
  /** The transport failed or closed. */
  'transport-failed',
  /** This side does not want a link now (for example not a mutual contact). */
  'refused',
] as const;

export const linkCloseReasonSchema = z.enum(LINK_CLOSE_REASONS);
export type LinkCloseReason = z.infer<typeof linkCloseReasonSchema>;

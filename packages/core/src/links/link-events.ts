import type { LinkCloseReason, PeerFrame } from '@discordopus/protocol';
import type { LinkPath } from './engine/link-transport';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface LinkStateEvent {
  /** The contact's public key, hex. */
  peer: string;
  linkId: string;
  state: LinkState;
  /** Why it closed (state `closed` only). */
  reason: LinkCloseReason | null;
  /** Direct (host/srflx/prflx) or relayed (TURN), once known. */
  path: LinkPath | null;
  /** The last heartbeat round trip, once measured. */
  rttMs: number | null;
  /** Whether this side or the contact started the set-up. */
  initiator: 'local' | 'remote';
}

/** What the app may send and receive on a link: every frame but the link's own control frames. */
export type ApplicationFrame = Exclude<PeerFrame, { type: 'link.hello' | 'link.ping' | 'link.pong' | 'link.close' | 'link.error' }>;

/**
 * Why a link is opened: 'user' for something the user just did (sent a message, opened a
 * conversation, a call), 'auto' for the app's own work (a waiting outbox, a reopen). While the
 * user is invisible only 'user' may reveal them to a contact (PRES-03).
 */
export type LinkIntent = 'user' | 'auto';

export type LinkManagerEvents = {
  /** A link to a contact changed state (one event per transition). */
  linkState: (e: LinkStateEvent) => void;
  /** A new round-trip measurement or path on an open link (for "Direct · 3 ms"). */
  linkStats: (e: { peer: string; linkId: string; path: LinkPath | null; rttMs: number | null }) => void;
  /**
   * An application frame from an authenticated contact, validated; a `profile.card` only once
   * its signature verified against the contact's key (P2P-05).
   */
  frame: (e: { peer: string; frame: ApplicationFrame }) => void;
  /**
   * An open link's channel drained below its low threshold after `send()` refused a frame for
   * back-pressure (or the set-up queue was full): the caller may send again.
   */
  drained: (e: { peer: string; linkId: string }) => void;
  /** Someone tampered with a link's set-up or handshake (P2P-02): show it on the contact. */
  securityWarning: (e: { peer: string; code: 'LINK_AUTH_FAILED'; reason: string }) => void;
};

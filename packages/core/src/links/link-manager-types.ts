import type { Logger } from '../logging/logger';
import type { IceConfiguration } from '../ice/ice-config';
import type { Clock } from '../signaling/clock';
import type { CreateLinkTransport, LinkPath } from './engine/link-transport';
import type { LinkState } from './link-events';
import type { LinkTunables } from './link-options';
import type { LinkHelloSigner, ProfileCardFrame, SignalOpenErrorCode, SignalSealer } from './sealing';

/** What a LinkManager is built from, and what it reports (link-manager.ts). */
export interface LinkManagerOptions {
  /** The user's identity (signs the handshake). */
  identity: LinkHelloSigner;
  /** Seals set-up messages to a contact and opens the ones sealed to us (P2P-04). */
  sealer: SignalSealer;
  /** Relay one sealed payload to a contact (`signal.send`); best effort. */
  sendSignal: (toHex: string, payload: string) => void;
  /**
   * Whether a contact is a mutual contact and online now (only then may this side open a link),
   * and whether it is a contact at all: an offer from a contact who shows offline is answered,
   * since an invisible contact may open a link on purpose (PRES-03); the relay carries offers
   * only between mutual contacts. Without `isContact`, such offers are refused.
   */
  contacts: { isMutualOnline(publicKeyHex: string): boolean; isContact?(publicKeyHex: string): boolean };
  /** The ICE servers and policy at the moment a link is set up (P2P-03). */
  iceConfiguration: () => IceConfiguration;
  /** This side's signed display name, sent right after every handshake (P2P-05). */
  ownProfileCard?: () => ProfileCardFrame | null;
  clock?: Clock;
  /** Uniform in [0, 1): reopen jitter. */
  random?: () => number;
  /** Secure random bytes: link ids and ping nonces. */
  randomBytes?: (n: number) => Uint8Array;
  logger?: Logger;
  /** The engine factory (default node-datachannel). */
  createPeerConnection?: CreateLinkTransport;
  /** Bind ICE to one local address (tests and benchmarks: 127.0.0.1). */
  bindAddress?: string;
  tunables?: Partial<LinkTunables>;
}

/** The result of an open the user asked for: it is never refused for being invisible. */
export type UserOpenResult = { ok: true; state: LinkState } | { ok: false; code: 'NOT_MUTUAL_ONLINE' | 'ENGINE_FAILED'; reason: string };
export type OpenResult = UserOpenResult | { ok: false; code: 'INVISIBLE'; reason: string };

export interface LinkInfo {
  peer: string;
  linkId: string;
  state: LinkState;
  initiator: 'local' | 'remote';
  path: LinkPath | null;
  rttMs: number | null;
  /** Whether the link was set up under relay-only (candidate gate and path check, P2P-03). */
  relayOnly: boolean;
}

export interface LinkManagerStats {
  /** Relayed set-up messages refused by the sealer, by code (P2P-04). */
  refusedSignals: Record<SignalOpenErrorCode, number>;
  /** Set-up messages for a link this side does not have (old or unknown link id). */
  strayedSignals: number;
  /** Offers refused because the sender is not a mutual contact online. */
  refusedOffers: number;
  /** Offers dropped unanswered because this side is invisible and did not ask for that link (PRES-03). */
  invisibleDroppedOffers: number;
  /** Peer frames dropped (malformed, oversized, over the rate) on links closed since start, plus open ones. */
  droppedFrames: number;
  /** Relay-only: the peers' candidates refused (not relayed through one of our TURN servers), P2P-03. */
  droppedCandidates: number;
}

import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { bytesToBase64url, bytesToHex, hexToBytes, type LinkCloseReason, type LinkSignalBody, type OwnStatus } from '@discordopus/protocol';
import { TypedEmitter } from '../events/typed-emitter';
import { type Logger, silentLogger } from '../logging/logger';
import type { IceConfiguration } from '../ice/ice-config';
import { type Clock, systemClock } from '../signaling/clock';
import type { CreateLinkTransport, LinkPath } from './engine/link-transport';
import { createNdcTransport } from './engine/ndc-transport';
import { Link } from './link';
import type { ApplicationFrame, LinkIntent, LinkManagerEvents, LinkState } from './link-events';
import { LINK_DEFAULTS, type LinkTunables } from './link-options';
import { localOfferWins, nextReopenDelay } from './reopen-policy';
import type { LinkHelloSigner, ProfileCardFrame, SignalOpenErrorCode, SignalSealer } from './sealing';

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

/** The set-up refusals that mean someone tampered with the relay (shown as a security warning). */
const TAMPERING: ReadonlySet<SignalOpenErrorCode> = new Set(['WRONG_RECIPIENT', 'SENDER_MISMATCH', 'BAD_SIGNATURE', 'DECRYPT_FAILED', 'REPLAYED']);
const HEX_KEY = /^[0-9a-f]{64}$/;
/** Close reasons after which a wanted link is reopened with backoff while both are online. */
const REOPEN_AFTER: ReadonlySet<LinkCloseReason> = new Set(['transport-failed', 'peer-timeout', 'timeout']);

/**
 * Direct links to contacts (P2P-01..05): at most one per contact, opened on demand through
 * sealed set-up messages, authenticated by a handshake over the channel, watched by a
 * heartbeat, closed when idle, when the contact leaves, or to make room (least recently used).
 * Gets its input through handle*() calls from the composition root; announces everything as
 * typed events. One misbehaving peer can close its own link, never the manager.
 */
export class LinkManager extends TypedEmitter<LinkManagerEvents> {
  readonly #o: LinkManagerOptions;
  readonly #t: LinkTunables;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: () => number;
  readonly #randomBytes: (n: number) => Uint8Array;
  readonly #createTransport: CreateLinkTransport;
  readonly #selfHex: string;
  readonly #links = new Map<string, Link>();
  /** Contacts the app asked a link for and did not let go idle: reopened after a drop. */
  readonly #wanted = new Set<string>();
  /** Per contact, the send time of the newest offer taken from it (mutual contacts only: bounded). */
  readonly #newestOfferMs = new Map<string, number>();
  readonly #reopen = new Map<string, { attempt: number; timer: unknown }>();
  readonly #stats: LinkManagerStats = {
    refusedSignals: { MALFORMED: 0, WRONG_RECIPIENT: 0, SENDER_MISMATCH: 0, BAD_SIGNATURE: 0, DECRYPT_FAILED: 0, STALE: 0, REPLAYED: 0 },
    strayedSignals: 0,
    refusedOffers: 0,
    invisibleDroppedOffers: 0,
    droppedFrames: 0,
    droppedCandidates: 0,
  };
  /** The user's own status is invisible: no automatic set-up, no unasked answers (PRES-03). */
  #invisible = false;
  /** Per contact, when (monotonic) the user last asked for a link to it (intent 'user'). */
  readonly #userAskedAt = new Map<string, number>();

  constructor(options: LinkManagerOptions) {
    super((err, event) => options.logger?.error({ err, event }, 'link listener failed'));
    this.#o = options;
    this.#t = { ...LINK_DEFAULTS, ...options.tunables };
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ component: 'links' });
    this.#random = options.random ?? Math.random;
    this.#randomBytes = options.randomBytes ?? ((n) => new Uint8Array(nodeRandomBytes(n)));
    this.#createTransport = options.createPeerConnection ?? createNdcTransport;
    this.#selfHex = bytesToHex(options.identity.publicKey);
  }

  /**
   * Open (or keep) the link to a contact: for something to send, an opened conversation, a call.
   * `intent` (default 'user') says who wants it: while the user is invisible, a new link for the
   * app's own work ('auto') is refused with INVISIBLE, since an offer reveals the user to that
   * contact; one the user asked for is opened (the UI says so). An existing link is kept either way.
   */
  open(publicKeyHex: string, options?: { intent?: 'user' }): UserOpenResult;
  open(publicKeyHex: string, options: { intent?: LinkIntent }): OpenResult;
  open(publicKeyHex: string, options: { intent?: LinkIntent } = {}): OpenResult {
    const peer = publicKeyHex.toLowerCase();
    const intent = options.intent ?? 'user';
    if (!HEX_KEY.test(peer) || peer === this.#selfHex || !this.#o.contacts.isMutualOnline(peer)) {
      return { ok: false, code: 'NOT_MUTUAL_ONLINE', reason: 'A link needs a mutual contact who is online.' };
    }
    const current = this.#links.get(peer);
    if (!current && intent === 'auto' && this.#invisible) {
      return { ok: false, code: 'INVISIBLE', reason: 'You are invisible: a link is opened only when you ask for one.' };
    }
    if (intent === 'user') this.#userAskedAt.set(peer, this.#clock.monotonic());
    this.#wanted.add(peer);
    if (current) {
      current.lastUsedAt = this.#clock.monotonic();
      return { ok: true, state: current.state };
    }
    this.#cancelReopen(peer);
    return this.#startOffer(peer);
  }

  /**
   * Send an application frame; opens the link on demand (with `intent`, default 'user') and
   * queues while it is set up. False when the frame was not handed over: no link allowed, the
   * set-up queue full, or back-pressure (then `drained` follows).
   */
  send(publicKeyHex: string, frame: ApplicationFrame, options: { intent?: LinkIntent } = {}): boolean {
    const peer = publicKeyHex.toLowerCase();
    if (!this.#links.has(peer) && !this.open(peer, options).ok) return false;
    return this.#links.get(peer)?.send(frame) ?? false;
  }

  /**
   * The user's own status (PRES-01). Going invisible closes every link — the contacts' cores close
   * theirs anyway when the server reports this side offline — and cancels every reopen; while
   * invisible nothing is set up automatically and unasked offers are dropped unanswered (PRES-03).
   */
  handleOwnStatus(status: OwnStatus): void {
    const invisible = status === 'invisible';
    if (invisible === this.#invisible) return;
    this.#invisible = invisible;
    if (!invisible) return;
    this.#wanted.clear();
    for (const peer of [...this.#reopen.keys()]) this.#cancelReopen(peer);
    for (const link of [...this.#links.values()]) link.close('contact-offline', 'peer');
  }

  /** Close the link to a contact (the user hung up, the conversation closed). */
  close(publicKeyHex: string, reason: LinkCloseReason = 'idle'): void {
    const peer = publicKeyHex.toLowerCase();
    this.#wanted.delete(peer);
    this.#cancelReopen(peer);
    this.#links.get(peer)?.close(reason, 'peer');
  }

  /** The vault locks or the app quits: close every link and forget what was wanted. */
  closeAll(reason: 'locked' | 'shutdown' = 'shutdown'): void {
    this.#wanted.clear();
    for (const peer of [...this.#reopen.keys()]) this.#cancelReopen(peer);
    for (const link of [...this.#links.values()]) link.close(reason, 'peer');
  }

  /** Send this side's new profile card on every open link (P2P-05: a change reaches contacts at once). */
  broadcastProfileCard(): void {
    const card = this.#o.ownProfileCard?.() ?? null;
    if (!card) return;
    for (const link of this.#links.values()) link.sendProfileCard(card);
  }

  get idleTimeoutMs(): number {
    return this.#t.idleTimeoutMs;
  }

  /** A new idle period (the user's setting): applies to open links at once (P2P-01). */
  setIdleTimeout(idleTimeoutMs: number): void {
    this.#t.idleTimeoutMs = idleTimeoutMs;
    for (const link of this.#links.values()) link.idleTimeoutChanged();
  }

  info(publicKeyHex: string): LinkInfo | null {
    const link = this.#links.get(publicKeyHex.toLowerCase());
    return link ? infoOf(link) : null;
  }

  list(): LinkInfo[] {
    return [...this.#links.values()].map(infoOf);
  }

  stats(): LinkManagerStats {
    let dropped = this.#stats.droppedFrames;
    let candidates = this.#stats.droppedCandidates;
    for (const link of this.#links.values()) {
      dropped += link.droppedFrames;
      candidates += link.droppedCandidates;
    }
    return { ...this.#stats, refusedSignals: { ...this.#stats.refusedSignals }, droppedFrames: dropped, droppedCandidates: candidates };
  }

  /** A `signal.relay` from the server: `from` as the relay stamped it (hex), the opaque payload. */
  handleSignal(message: { from: string; payload: string }): void {
    const opened = this.#o.sealer.open({ from: message.from, payload: message.payload });
    const peer = message.from.toLowerCase();
    if (!opened.ok) {
      this.#stats.refusedSignals[opened.code] += 1;
      this.#log.debug({ code: opened.code }, 'relayed set-up message refused');
      if (TAMPERING.has(opened.code)) {
        this.emit('securityWarning', { peer, code: 'LINK_AUTH_FAILED', reason: `A link set-up message was refused: ${opened.reason}.` });
      }
      return;
    }
    const { body, linkId } = opened;
    if (body.type === 'link.offer') {
      // An offer older than one already taken from this contact is stale: a relay that held it
      // back (or replays it after a restart) must not tear down the newer link (review finding).
      // Only this contact's own clock is compared, so clock skew between peers does not matter.
      if (opened.sentAtMs < (this.#newestOfferMs.get(peer) ?? -Infinity)) {
        this.#stats.strayedSignals += 1;
        return;
      }
      this.#newestOfferMs.set(peer, opened.sentAtMs);
      return this.#onOffer(peer, linkId, body);
    }
    const link = this.#links.get(peer);
    if (!link || link.linkId !== linkId) {
      this.#stats.strayedSignals += 1;
      return;
    }
    link.handleSignal(body);
  }

  /**
   * The relay could not deliver a set-up message to this contact (`signal.error`, e.g.
   * TARGET_OFFLINE; the composition root maps the request id back to the contact). A set-up this
   * side started is abandoned now instead of at the timeout, and retried with backoff if wanted.
   */
  handleSignalFailed(publicKeyHex: string): void {
    const link = this.#links.get(publicKeyHex.toLowerCase());
    if (link && link.state === 'connecting' && link.initiator === 'local' && !link.answered) link.close('timeout', 'none');
  }

  /** A contact came (back) online: a link that dropped and is still wanted is reopened now. */
  handleContactOnline(publicKeyHex: string): void {
    const peer = publicKeyHex.toLowerCase();
    if (!this.#reopen.has(peer) || this.#links.has(peer)) return;
    const attempt = this.#reopen.get(peer)?.attempt ?? 0;
    this.#cancelReopen(peer);
    this.#reopenNow(peer, attempt);
  }

  /** A contact went offline (or invisible to us): its link closes; it is not reopened. */
  handleContactOffline(publicKeyHex: string): void {
    const peer = publicKeyHex.toLowerCase();
    this.#wanted.delete(peer);
    this.#cancelReopen(peer);
    this.#links.get(peer)?.close('contact-offline', 'none');
  }

  /** A contact was removed or blocked: its link closes at once. */
  handleContactRemoved(publicKeyHex: string): void {
    const peer = publicKeyHex.toLowerCase();
    this.#wanted.delete(peer);
    this.#newestOfferMs.delete(peer);
    this.#userAskedAt.delete(peer);
    this.#cancelReopen(peer);
    this.#links.get(peer)?.close('contact-removed', 'peer');
  }

  #onOffer(peer: string, linkId: string, offer: Extract<LinkSignalBody, { type: 'link.offer' }>): void {
    if (this.#invisible && !this.#userAskedRecently(peer)) {
      // Like an offline user: no answer, no bye — either would show the contact we are here.
      this.#stats.invisibleDroppedOffers += 1;
      return;
    }
    const { contacts } = this.#o;
    if (peer === this.#selfHex || !(contacts.isMutualOnline(peer) || (contacts.isContact?.(peer) ?? false))) {
      this.#stats.refusedOffers += 1;
      this.#sendSealed(peer, linkId, 1, { type: 'link.bye', reason: 'refused' });
      return;
    }
    const current = this.#links.get(peer);
    if (current) {
      if (current.linkId === linkId) return;
      if (current.state === 'connecting' && current.initiator === 'local' && !current.answered) {
        // Glare: both offered and ours is still unanswered (PROTOCOL.md 6.4). The smaller key's
        // offer wins; the other side drops its own. (An own offer the relay could not deliver was
        // already abandoned: handleSignalFailed.) An answered set-up is not glare: a new offer
        // then means the contact restarted, and replaces it below.)
        if (localOfferWins(this.#selfHex, peer)) return;
        current.close('glare', 'none');
      } else {
        // A new authenticated set-up from the contact (it restarted, or saw the old link die)
        // replaces whatever this side still has (ARCHITECTURE: glare and restarts).
        current.close('replaced', 'none');
      }
    }
    this.#cancelReopen(peer);
    const link = this.#createLink(peer, linkId, 'answerer');
    link?.handleSignal(offer);
  }

  #userAskedRecently(peer: string): boolean {
    const at = this.#userAskedAt.get(peer);
    return at !== undefined && this.#clock.monotonic() - at <= this.#t.userIntentWindowMs;
  }

  #startOffer(peer: string): UserOpenResult {
    const linkId = bytesToBase64url(this.#randomBytes(16));
    const link = this.#createLink(peer, linkId, 'offerer');
    if (!link) return { ok: false, code: 'ENGINE_FAILED', reason: 'The connection engine could not start a link.' };
    link.start();
    return { ok: true, state: link.state };
  }

  #createLink(peer: string, linkId: string, role: 'offerer' | 'answerer'): Link | null {
    this.#makeRoom();
    const ice = this.#o.iceConfiguration();
    let transport;
    try {
      transport = this.#createTransport({
        role,
        ice,
        name: `link-${linkId.slice(0, 6)}`,
        bufferedAmountLowThreshold: this.#t.bufferedLowBytes,
        ...(this.#o.bindAddress !== undefined ? { bindAddress: this.#o.bindAddress } : {}),
      });
    } catch (err) {
      this.#log.warn({ err }, 'the connection engine could not create a peer connection');
      return null;
    }
    const link: Link = new Link({
      peer,
      peerKey: hexToBytes(peer),
      linkId,
      initiator: role === 'offerer' ? 'local' : 'remote',
      identity: this.#o.identity,
      transport,
      clock: this.#clock,
      tunables: this.#t,
      randomBytes: this.#randomBytes,
      relayOnly: ice.iceTransportPolicy === 'relay',
      ownProfileCard: () => this.#o.ownProfileCard?.() ?? null,
      logger: this.#log,
      hooks: {
        sendSignal: (body) => this.#sendSealed(peer, linkId, link.nextSignalSeq(), body),
        stateChanged: (l, state, reason) => this.#onState(l, state, reason),
        stats: (l) => this.emit('linkStats', { peer: l.peer, linkId: l.linkId, path: l.path, rttMs: l.rttMs }),
        frame: (l, frame) => this.emit('frame', { peer: l.peer, frame }),
        drained: (l) => this.emit('drained', { peer: l.peer, linkId: l.linkId }),
        securityWarning: (l, reason) => this.emit('securityWarning', { peer: l.peer, code: 'LINK_AUTH_FAILED', reason }),
      },
    });
    this.#links.set(peer, link);
    this.#emitState(link, 'connecting', null);
    return link;
  }

  /** The concurrent-link cap: close the least recently used links until one more fits. */
  #makeRoom(): void {
    while (this.#links.size >= this.#t.maxLinks) {
      let oldest: Link | null = null;
      for (const link of this.#links.values()) if (!oldest || link.lastUsedAt < oldest.lastUsedAt) oldest = link;
      if (!oldest) return;
      this.#wanted.delete(oldest.peer);
      oldest.close('too-many-links', 'peer');
    }
  }

  #sendSealed(peer: string, linkId: string, seq: number, body: LinkSignalBody): void {
    let payload: string;
    try {
      payload = this.#o.sealer.seal({ to: peer, linkId, seq, body });
    } catch (err) {
      // A description over the limits (a bug or a strange engine): this link cannot be set up.
      this.#log.warn({ err, type: body.type }, 'a set-up message could not be sealed');
      const link = this.#links.get(peer);
      if (link?.linkId === linkId) queueMicrotask(() => link.close('transport-failed', 'none'));
      return;
    }
    try {
      this.#o.sendSignal(peer, payload);
    } catch (err) {
      this.#log.warn({ err }, 'a set-up message could not be relayed');
    }
  }

  #onState(link: Link, state: LinkState, reason: LinkCloseReason | null): void {
    const current = this.#links.get(link.peer) === link;
    if (state === 'open') {
      this.#reopen.delete(link.peer);
      this.#log.info({ linkId: link.linkId, initiator: link.initiator, path: link.path }, 'link open');
    }
    if (state === 'closed') {
      this.#stats.droppedFrames += link.droppedFrames;
      this.#stats.droppedCandidates += link.droppedCandidates;
      this.#log.info({ linkId: link.linkId, reason }, 'link closed');
      if (current) this.#links.delete(link.peer);
      if (reason === 'idle' || reason === 'auth-failed' || reason === 'contact-removed' || reason === 'shutdown' || reason === 'locked') {
        this.#wanted.delete(link.peer);
      }
    }
    this.#emitState(link, state, reason);
    if (state === 'closed' && current && reason !== null && REOPEN_AFTER.has(reason)) this.#scheduleReopen(link.peer);
  }

  #emitState(link: Link, state: LinkState, reason: LinkCloseReason | null): void {
    this.emit('linkState', { ...infoOf(link), state, reason });
  }

  #scheduleReopen(peer: string): void {
    if (!this.#wanted.has(peer) || this.#links.has(peer) || this.#invisible) return;
    const attempt = this.#reopen.get(peer)?.attempt ?? 0;
    const delay = nextReopenDelay({
      attempt,
      random: this.#random,
      minDelayMs: this.#t.reopenMinDelayMs,
      maxDelayMs: this.#t.reopenMaxDelayMs,
      maxAttempts: this.#t.maxReopenAttempts,
    });
    if (delay === null) {
      this.#reopen.delete(peer);
      this.#wanted.delete(peer);
      return;
    }
    const timer = this.#clock.setTimeout(() => {
      if (this.#reopen.get(peer)?.timer !== timer) return;
      this.#reopen.delete(peer);
      this.#reopenNow(peer, attempt + 1);
    }, delay);
    this.#reopen.set(peer, { attempt, timer });
  }

  #reopenNow(peer: string, attempt: number): void {
    if (!this.#wanted.has(peer) || this.#links.has(peer) || this.#invisible) return;
    if (!this.#o.contacts.isMutualOnline(peer)) {
      // Not online now: keep the attempt count and wait for handleContactOnline or the next try.
      this.#reopen.set(peer, { attempt, timer: null });
      return;
    }
    const result = this.#startOffer(peer);
    // Count this attempt: if it fails, the next delay is longer.
    if (result.ok) this.#reopen.set(peer, { attempt, timer: null });
  }

  #cancelReopen(peer: string): void {
    const pending = this.#reopen.get(peer);
    if (pending?.timer != null) this.#clock.clearTimeout(pending.timer);
    this.#reopen.delete(peer);
  }
}

function infoOf(link: Link): LinkInfo {
  return { peer: link.peer, linkId: link.linkId, state: link.state, initiator: link.initiator, path: link.path, rttMs: link.rttMs };
}

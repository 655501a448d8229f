import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { bytesToBase64url, bytesToHex, hexToBytes, type LinkCloseReason, type LinkSignalBody, type OwnStatus } from '@discordopus/protocol';
import { TypedEmitter } from '../events/typed-emitter';
import { type Logger, silentLogger } from '../logging/logger';
import { type Clock, systemClock } from '../signaling/clock';
import type { CreateLinkTransport, LinkTransport } from './engine/link-transport';
import { createNdcTransport } from './engine/ndc-transport';
import { Link } from './link';
import type { ApplicationFrame, LinkIntent, LinkManagerEvents, LinkState } from './link-events';
import type { LinkInfo, LinkManagerOptions, LinkManagerStats, OpenResult, UserOpenResult } from './link-manager-types';
import { LINK_DEFAULTS, type LinkTunables } from './link-options';
import { type InUseCheck, LinkUse } from './link-use';
import { OwnVisibility } from './own-visibility';
import { localOfferWins } from './reopen-policy';
import { ReopenScheduler } from './reopen-scheduler';
import type { SignalOpenErrorCode } from './sealing';

export type { LinkInfo, LinkManagerOptions, LinkManagerStats, OpenResult, UserOpenResult } from './link-manager-types';

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
  readonly #randomBytes: (n: number) => Uint8Array;
  readonly #createTransport: CreateLinkTransport;
  readonly #selfHex: string;
  readonly #links = new Map<string, Link>();
  readonly #use = new LinkUse();
  /** Per contact, the send time of the newest offer taken from it (mutual contacts only: bounded). */
  readonly #newestOfferMs = new Map<string, number>();
  /** Wanted links and their reopening after a drop. */
  readonly #reopen: ReopenScheduler;
  /** The user's own invisibility and what they asked for (PRES-03). */
  readonly #visibility: OwnVisibility;
  readonly #stats: LinkManagerStats = {
    refusedSignals: { MALFORMED: 0, WRONG_RECIPIENT: 0, SENDER_MISMATCH: 0, BAD_SIGNATURE: 0, DECRYPT_FAILED: 0, STALE: 0, REPLAYED: 0 },
    strayedSignals: 0,
    refusedOffers: 0,
    invisibleDroppedOffers: 0,
    droppedFrames: 0,
    droppedCandidates: 0,
  };

  constructor(options: LinkManagerOptions) {
    super((err, event) => options.logger?.error({ err, event }, 'link listener failed'));
    this.#o = options;
    this.#t = { ...LINK_DEFAULTS, ...options.tunables };
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ component: 'links' });
    this.#randomBytes = options.randomBytes ?? ((n) => new Uint8Array(nodeRandomBytes(n)));
    this.#createTransport = options.createPeerConnection ?? createNdcTransport;
    this.#selfHex = bytesToHex(options.identity.publicKey);
    this.#visibility = new OwnVisibility({ clock: this.#clock, userIntentWindowMs: () => this.#t.userIntentWindowMs });
    this.#reopen = new ReopenScheduler({
      clock: this.#clock,
      random: options.random ?? Math.random,
      tunables: this.#t,
      mayReopen: (peer) => !this.#links.has(peer) && !this.#visibility.invisible,
      isOnline: (peer) => this.#o.contacts.isMutualOnline(peer),
      startOffer: (peer) => this.#startOffer(peer).ok,
    });
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
    if (!this.#visibility.mayOpen(peer, intent) && !current) {
      return { ok: false, code: 'INVISIBLE', reason: 'You are invisible: a link is opened only when you ask for one.' };
    }
    this.#reopen.want(peer);
    if (current) {
      current.lastUsedAt = this.#clock.monotonic();
      return { ok: true, state: current.state };
    }
    this.#reopen.cancel(peer);
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

  /** The transport of the open, authenticated link to a contact (extra channels: files, FILE-01); null otherwise. */
  openTransport(publicKeyHex: string): LinkTransport | null {
    const link = this.#links.get(publicKeyHex.toLowerCase());
    return link?.state === 'open' ? link.transport : null;
  }

  /**
   * The open link to a contact was used outside its frames — file bytes on a transfer's extra
   * channel (FILE-01): activity for the idle close and the least-recently-used choice.
   */
  markUsed(publicKeyHex: string): void {
    const link = this.#links.get(publicKeyHex.toLowerCase());
    if (link) link.lastUsedAt = this.#clock.monotonic();
  }

  /** While `check` says a contact's link is in use outside its frames (a file's channel): no idle close, last to make room. */
  addInUseCheck(check: InUseCheck): () => void {
    return this.#use.add(check);
  }

  /**
   * The user's own status (PRES-01). Going invisible closes every link — the contacts' cores close
   * theirs anyway when the server reports this side offline — and cancels every reopen; while
   * invisible nothing is set up automatically and unasked offers are dropped unanswered (PRES-03).
   */
  handleOwnStatus(status: OwnStatus): void {
    if (!this.#visibility.statusChanged(status)) return;
    this.#reopen.clear();
    for (const link of [...this.#links.values()]) link.close('contact-offline', 'peer');
  }

  /** Close the link to a contact (the user hung up, the conversation closed). */
  close(publicKeyHex: string, reason: LinkCloseReason = 'idle'): void {
    const peer = publicKeyHex.toLowerCase();
    this.#reopen.forget(peer);
    this.#links.get(peer)?.close(reason, 'peer');
  }

  /** The vault locks or the app quits: close every link and forget what was wanted. */
  closeAll(reason: 'locked' | 'shutdown' = 'shutdown'): void {
    this.#reopen.clear();
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
    this.#reopen.contactOnline(publicKeyHex.toLowerCase());
  }

  /** A contact went offline (or invisible to us): its link closes; it is not reopened. */
  handleContactOffline(publicKeyHex: string): void {
    const peer = publicKeyHex.toLowerCase();
    this.#reopen.forget(peer);
    this.#links.get(peer)?.close('contact-offline', 'none');
  }

  /** A contact was removed or blocked: its link closes at once. */
  handleContactRemoved(publicKeyHex: string): void {
    const peer = publicKeyHex.toLowerCase();
    this.#newestOfferMs.delete(peer);
    this.#visibility.forget(peer);
    this.#reopen.forget(peer);
    this.#links.get(peer)?.close('contact-removed', 'peer');
  }

  #onOffer(peer: string, linkId: string, offer: Extract<LinkSignalBody, { type: 'link.offer' }>): void {
    if (!this.#visibility.mayAnswer(peer)) {
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
    this.#reopen.cancel(peer);
    const link = this.#createLink(peer, linkId, 'answerer');
    link?.handleSignal(offer);
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
        inUse: (l) => this.#use.inUse(l.peer),
      },
    });
    this.#links.set(peer, link);
    this.#emitState(link, 'connecting', null);
    return link;
  }

  /** The concurrent-link cap: close the least recently used links (not in use first) until one more fits. */
  #makeRoom(): void {
    while (this.#links.size >= this.#t.maxLinks) {
      const oldest = this.#use.evictable(this.#links.values());
      if (!oldest) return;
      this.#reopen.unwant(oldest.peer);
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
      this.#reopen.opened(link.peer);
      this.#log.info({ linkId: link.linkId, initiator: link.initiator, path: link.path }, 'link open');
    }
    if (state === 'closed') {
      this.#stats.droppedFrames += link.droppedFrames;
      this.#stats.droppedCandidates += link.droppedCandidates;
      this.#log.info({ linkId: link.linkId, reason }, 'link closed');
      if (current) this.#links.delete(link.peer);
      if (reason === 'idle' || reason === 'auth-failed' || reason === 'contact-removed' || reason === 'shutdown' || reason === 'locked') {
        this.#reopen.unwant(link.peer);
      }
    }
    this.#emitState(link, state, reason);
    if (state === 'closed' && current && reason !== null && REOPEN_AFTER.has(reason)) this.#reopen.dropped(link.peer);
  }

  #emitState(link: Link, state: LinkState, reason: LinkCloseReason | null): void {
    this.emit('linkState', { ...infoOf(link), state, reason });
  }
}

function infoOf(link: Link): LinkInfo {
  return { peer: link.peer, linkId: link.linkId, state: link.state, initiator: link.initiator, path: link.path, rttMs: link.rttMs, relayOnly: link.relayOnly };
}

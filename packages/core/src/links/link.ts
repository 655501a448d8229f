import { encodePeerFrame, type LinkCloseReason, type LinkErrorCode, type LinkSignalBody, parsePeerFrame, type PeerFrame } from '@discordopus/protocol';
import type { Logger } from '../logging/logger';
import type { Clock } from '../signaling/clock';
import type { LinkPath, LinkTransport } from './engine/link-transport';
import { BackPressure } from './back-pressure';
import { type ChannelIdentityInput, checkPeerHello, helloToSend } from './channel-identity';
import { FrameGuard } from './frame-guard';
import { Heartbeat } from './heartbeat';
import { IdleTimer } from './idle-timer';
import type { ApplicationFrame, LinkState } from './link-events';
import type { LinkTunables } from './link-options';
import { LinkSetup } from './link-setup';
import { type LinkHelloSigner, type ProfileCardFrame, verifyProfileCard } from './sealing';

/** What a link reports to its manager. */
export interface LinkHooks {
  /** Seal and relay one set-up message for this link (the manager numbers and seals it). */
  sendSignal(body: LinkSignalBody): void;
  stateChanged(link: Link, state: LinkState, reason: LinkCloseReason | null): void;
  stats(link: Link): void;
  frame(link: Link, frame: ApplicationFrame): void;
  /** The channel drained after a send was refused for back-pressure. */
  drained(link: Link): void;
  securityWarning(link: Link, reason: string): void;
  inUse(link: Link): boolean; // used outside its frames (a file transfer): no idle close meanwhile
}

export interface LinkOptions {
  peer: string;
  peerKey: Uint8Array;
  linkId: string;
  initiator: 'local' | 'remote';
  identity: LinkHelloSigner;
  transport: LinkTransport;
  clock: Clock;
  tunables: LinkTunables;
  randomBytes: (n: number) => Uint8Array;
  /** Relay-only is set: a selected pair whose local side is not `relay` closes the link (P2P-03). */
  relayOnly: boolean;
  ownProfileCard: () => ProfileCardFrame | null;
  logger: Logger;
  hooks: LinkHooks;
}

/** How long a closing link waits for the peer to close after our `link.close` (real time). */
const CLOSE_GRACE_MS = 2_000;

/** How the other side learns that this side closes: a frame on the channel, a sealed bye, or nothing. */
type Notify = 'peer' | 'none';

/**
 * One link to one contact (P2P-01..03): set-up through sealed messages, the identity handshake
 * over the channel, then the heartbeat, per-link limits and idle tracking. Closing is final: a
 * new link (a new link id) replaces a closed one.
 */
export class Link {
  readonly peer: string;
  readonly linkId: string;
  readonly initiator: 'local' | 'remote';
  readonly #o: LinkOptions;
  readonly #t: LinkTransport;
  readonly #guard: FrameGuard;
  #state: LinkState = 'connecting';
  #closeReason: LinkCloseReason | null = null;
  readonly #setup: LinkSetup;
  #helloSent = false;
  /** The data channel opened (control frames can reach the peer). */
  #channelUp = false;
  #heartbeat: Heartbeat | null = null;
  #setupTimer: unknown = null;
  readonly #idle: IdleTimer;
  readonly #pressure: BackPressure;
  #path: LinkPath | null = null;
  #rttMs: number | null = null;
  #queue: string[] = [];
  #signalSeq = 0;
  /** Monotonic time of the last application frame either way (idle close, LRU). */
  lastUsedAt: number;

  readonly #off: (() => void)[] = [];

  constructor(options: LinkOptions) {
    this.#o = options;
    this.peer = options.peer;
    this.linkId = options.linkId;
    this.initiator = options.initiator;
    this.#t = options.transport;
    this.#setup = new LinkSetup({
      transport: options.transport,
      relayOnly: options.relayOnly,
      sendSignal: (body) => this.#o.hooks.sendSignal(body),
      authFailed: (reason) => this.#authFailed(reason),
      failed: () => this.close('transport-failed', 'peer'),
      dropped: (type) => this.#o.logger.debug({ linkId: this.linkId, type }, 'unexpected set-up message dropped'),
    });
    this.lastUsedAt = options.clock.monotonic();
    const { tunables, clock } = options;
    this.#guard = new FrameGuard({ ...tunables, now: () => clock.monotonic() });
    const onIdle = (): void => void (this.#state === 'open' && this.close('idle', 'peer'));
    this.#idle = new IdleTimer({ clock, timeoutMs: () => tunables.idleTimeoutMs, lastUsedAt: () => this.lastUsedAt, inUse: () => this.#o.hooks.inUse(this), onIdle });
    this.#pressure = new BackPressure({
      buffered: () => this.#t.bufferedAmount(),
      maxBytes: () => tunables.maxBufferedBytes,
      lowBytes: () => tunables.bufferedLowBytes,
      onDrained: () => this.#o.hooks.drained(this),
    });
    this.#off.push(
      this.#t.on('localDescription', (e) => this.#setup.localDescription(e.sdp, e.type)),
      this.#t.on('localCandidates', (e) => this.#setup.localCandidates(e.candidates)),
      this.#t.on('open', () => this.#onChannelOpen()),
      this.#t.on('message', (e) => this.#onMessage(e.text, e.binary)),
      this.#t.on('bufferedAmountLow', () => void (this.#state === 'open' && this.#pressure.low())),
      this.#t.on('closed', (e) => {
        this.#o.logger.debug({ linkId: this.linkId, why: e.reason, detail: e.detail }, 'link transport closed');
        this.close('transport-failed', 'none');
      }),
    );
    this.#setupTimer = clock.setTimeout(() => {
      this.#setupTimer = null;
      if (this.#state === 'connecting') this.close('timeout', 'peer');
    }, tunables.setupTimeoutMs);
  }

  /** The transport, for extra channels on an open link (files, FILE-01). */
  get transport(): LinkTransport {
    return this.#t;
  }

  get state(): LinkState {
    return this.#state;
  }

  get closeReason(): LinkCloseReason | null {
    return this.#closeReason;
  }

  /** Set up under relay-only: relay candidates only, closed if the selected path is not relayed. */
  get relayOnly(): boolean {
    return this.#o.relayOnly;
  }

  get path(): LinkPath | null {
    return this.#path;
  }

  get rttMs(): number | null {
    return this.#rttMs;
  }

  /** Whether the peer's description arrived (for the offerer: the offer was answered). */
  get answered(): boolean {
    return this.#setup.answered;
  }

  get droppedFrames(): number {
    return this.#guard.dropped;
  }

  /** Relay-only: the peer's candidates refused (not relayed through one of our TURN servers). */
  get droppedCandidates(): number {
    return this.#setup.droppedCandidates;
  }

  /** The sequence number of this side's next set-up message on this link (1, 2, …). */
  nextSignalSeq(): number {
    this.#signalSeq += 1;
    return this.#signalSeq;
  }

  /** Offerer: create the channel (the offer follows as a sealed `link.offer`). */
  start(): void {
    this.#t.start();
  }

  /** A set-up message for this link, already opened and checked by the sealer. */
  handleSignal(body: LinkSignalBody): void {
    if (this.#state === 'closed') return;
    switch (body.type) {
      case 'link.offer':
      case 'link.answer':
        return this.#setup.handleDescription(body);
      case 'link.candidates':
        return this.#setup.handleCandidates(body.candidates);
      case 'link.bye':
        this.close(body.reason, 'none');
        return;
      default: {
        const never: never = body;
        return never;
      }
    }
  }

  /**
   * Send an application frame: now if open, queued while connecting. False when the frame was
   * not handed over: closed, not encodable, the set-up queue full or the channel's buffer over
   * `maxBufferedBytes` (the latter two are followed by `drained`).
   */
  send(frame: ApplicationFrame): boolean {
    if (this.#state === 'closed') return false;
    let text: string;
    try {
      text = encodePeerFrame(frame);
    } catch {
      return false;
    }
    if (this.#state === 'open') {
      if (!this.#pressure.admit()) return false;
      this.lastUsedAt = this.#o.clock.monotonic();
      return this.#t.send(text);
    }
    if (this.#queue.length >= this.#o.tunables.maxQueuedFrames) {
      this.#pressure.refused();
      return false;
    }
    this.lastUsedAt = this.#o.clock.monotonic();
    this.#queue.push(text);
    return true;
  }

  /** Send this side's (new) profile card on an open link; it does not count as activity. */
  sendProfileCard(card: ProfileCardFrame): boolean {
    if (this.#state !== 'open') return false;
    return this.#sendControl(card);
  }

  /** Send a control frame if the channel is up (best effort). */
  #sendControl(frame: PeerFrame): boolean {
    try {
      return this.#t.send(encodePeerFrame(frame));
    } catch {
      // a control frame is always small; nothing to do if the channel is gone
      return false;
    }
  }

  /**
   * Close the link (idempotent). `peer`: tell the other side why (a `link.close` frame once the
   * channel is up, else a sealed `link.bye`); `none`: it already knows, or cannot be told.
   */
  close(reason: LinkCloseReason, notify: Notify): void {
    if (this.#state === 'closed') return;
    const wasOpen = this.#channelUp;
    this.#state = 'closed';
    this.#closeReason = reason;
    if (notify === 'peer') {
      if (wasOpen) this.#sendControl({ type: 'link.close', reason });
      else {
        try {
          this.#o.hooks.sendSignal({ type: 'link.bye', reason });
        } catch {
          // the relay is gone: the peer's set-up times out on its own
        }
      }
    }
    this.#heartbeat?.stop();
    this.#setup.finish();
    this.#clearSetupTimer();
    this.#idle.stop();
    for (const off of this.#off.splice(0)) off();
    this.#queue = [];
    // Let a `link.close` frame reach the peer before the channel goes.
    if (wasOpen && notify === 'peer') this.#t.closeAfterFlush(CLOSE_GRACE_MS);
    else this.#t.close();
    this.#o.hooks.stateChanged(this, 'closed', reason);
  }

  #clearSetupTimer(): void {
    if (this.#setupTimer !== null) this.#o.clock.clearTimeout(this.#setupTimer);
    this.#setupTimer = null;
  }

  #onChannelOpen(): void {
    if (this.#state !== 'connecting' || this.#helloSent) return;
    this.#channelUp = true;
    const verdict = helloToSend(this.#identityInput());
    if (!verdict.ok) return this.#authFailed(verdict.reason);
    if (!this.#checkPath()) return;
    this.#helloSent = true;
    this.#sendControl(verdict.hello);
  }

  #identityInput(): ChannelIdentityInput {
    const { identity, peerKey } = this.#o;
    return { transport: this.#t, signaledRemote: this.#setup.signaledRemote, identity, peerPublicKey: peerKey, linkId: this.linkId };
  }

  /** Record the selected path; with relay-only, close a link that is not relayed. */
  #checkPath(): boolean {
    const selected = this.#t.selectedPath();
    if (selected === null) return true;
    if (this.#o.relayOnly && selected.localType !== 'relay') {
      this.close('relay-required', 'peer');
      return false;
    }
    if (this.#path !== selected.path) {
      this.#path = selected.path;
      if (this.#state === 'open') this.#o.hooks.stats(this);
    }
    return true;
  }

  #onMessage(text: string, binary: boolean): void {
    if (this.#state === 'closed') return;
    if (!this.#guard.admit()) return this.#punish(this.#guard.overRate());
    if (binary) return this.#punish(this.#guard.offence('BAD_FRAME'));
    const parsed = parsePeerFrame(text);
    if (!parsed.ok) {
      if (parsed.code === 'UNKNOWN_TYPE') {
        // A newer peer: ignored, not punished (CONVENTIONS 4).
        this.#guard.dropped += 1;
        return;
      }
      return this.#punish(this.#guard.offence(parsed.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'BAD_FRAME'));
    }
    const frame = parsed.frame;
    if (frame.type === 'link.close') return this.close(frame.reason, 'none');
    if (this.#state === 'connecting') {
      if (frame.type === 'link.hello') return this.#onHello(frame);
      // Nothing but the hello before the handshake: an honest peer never does this.
      return this.close('protocol-error', 'peer');
    }
    this.#heartbeat?.heard();
    switch (frame.type) {
      case 'link.hello':
        return this.#punish(this.#guard.offence('BAD_FRAME'));
      case 'link.ping':
        this.#sendControl({ type: 'link.pong', nonce: frame.nonce, sentAtMs: frame.sentAtMs });
        return;
      case 'link.pong':
        return this.#heartbeat?.pong(frame.nonce);
      case 'link.error':
        this.#o.logger.debug({ linkId: this.linkId, code: frame.code }, 'peer refused a frame');
        return;
      case 'profile.card': {
        const verdict = verifyProfileCard({ card: frame, ownerPublicKey: this.#o.peerKey, nowMs: this.#o.clock.now() });
        if (!verdict.ok) return this.#punish(this.#guard.offence('BAD_FRAME'));
        return this.#o.hooks.frame(this, frame);
      }
      default:
        // Every other frame is an application frame (messages, …), validated by the parser;
        // it counts as activity for the idle close.
        this.lastUsedAt = this.#o.clock.monotonic();
        return this.#o.hooks.frame(this, frame);
    }
  }

  #onHello(frame: Extract<PeerFrame, { type: 'link.hello' }>): void {
    const verdict = this.#helloSent ? checkPeerHello({ ...this.#identityInput(), frame }) : { ok: false as const, reason: 'a hello arrived before this side could check the channel' };
    if (!verdict.ok) return this.#authFailed(verdict.reason);
    this.#becomeOpen();
  }

  #becomeOpen(): void {
    this.#clearSetupTimer();
    this.#setup.finish();
    this.#state = 'open';
    const { clock, tunables } = this.#o;
    this.#checkPath();
    this.#heartbeat = new Heartbeat({
      clock,
      pingIntervalMs: tunables.pingIntervalMs,
      deadAfterMs: tunables.deadAfterMs,
      randomBytes: this.#o.randomBytes,
      sendPing: (ping) => this.#sendControl(ping),
      onDead: () => this.close('peer-timeout', 'none'),
      onRtt: (rttMs) => {
        this.#rttMs = rttMs;
        this.#o.hooks.stats(this);
      },
      onTick: () => void this.#checkPath(),
    });
    this.#heartbeat.start();
    this.#o.hooks.stateChanged(this, 'open', null);
    if (this.#state !== 'open') return;
    this.#heartbeat.pingNow();
    const card = this.#o.ownProfileCard();
    if (card) this.#sendControl(card);
    for (const text of this.#queue.splice(0)) this.#t.send(text);
    this.#pressure.opened();
    this.#idle.start(tunables.idleTimeoutMs);
  }

  /** The idle period changed (tunables are shared with the manager): count again from the last use. */
  idleTimeoutChanged(): void {
    if (this.#state === 'open') this.#idle.periodChanged();
  }

  #authFailed(reason: string): void {
    if (this.#state === 'closed') return;
    this.#o.hooks.securityWarning(this, reason);
    this.close('auth-failed', 'peer');
  }

  #punish(offence: ReturnType<FrameGuard['offence']>): void {
    if (offence.action === 'close') this.close(offence.reason, 'peer');
    else if (offence.action === 'answer') this.#sendControl({ type: 'link.error', code: offence.code satisfies LinkErrorCode });
  }
}


import { bytesToBase64url, hexToBytes } from '@discordopus/protocol';
import { isSequencedFrame, parseMessageFrame, type MessageFrame, type SequencedFrame } from '@discordopus/protocol/messages';
import { TypedEmitter } from '../events/typed-emitter';
import { silentLogger, type Logger } from '../logging/logger';
import { systemClock, type Clock } from '../signaling/clock';
import type { RefusalReason } from './apply-incoming';
import { GroupCommit } from './group-commit';
import type { MessageServiceEvents } from './message-events';
import { normalizePeer } from './message-rows';
import type { MessageStore } from './message-store';
import type { StoredMessage, SyncPoints } from './message-types';
import { TypingTracker } from './typing-tracker';

/**
 * What the service needs of a link to one contact: `send` returns false when the frame could
 * not be handed over (link closing, rate limit, buffer full); sending stops until the link is
 * drained (`handleLinkDrained`) or the retransmit timer fires.
 */
export interface MessageLink {
  send(frame: MessageFrame): boolean;
}

export interface MessageServiceOptions {
  store: MessageStore;
  clock?: Clock;
  /** The privacy setting (MSG-01): when false, no read receipt ever leaves this side. */
  sendReadReceipts?: () => boolean;
  /** Runs a store of the frames received so far; the default waits for the I/O in hand (setImmediate). */
  schedule?: (fn: () => void) => void;
  logger?: Logger;
  /** Without progress for this long, unacknowledged changes are sent again. */
  retransmitMs?: number;
  typingTtlMs?: number;
  typingIntervalMs?: number;
  /** Frames read from the outbox at a time. */
  sendBatch?: number;
  /**
   * At most this many own changes on the wire and not yet acknowledged (a send window): an
   * outbox of thousands does not flood the link or the peer's frame budget; each ack moves it.
   */
  maxInFlight?: number;
  /** Runs the group commit of `sendAsync` (default: setImmediate, i.e. after this turn's requests). */
  scheduleCommit?: (fn: () => void) => void;
  /** At most this many messages in one group commit. */
  maxGroupCommit?: number;
}

interface SendRequest {
  peer: string;
  text: string;
  replyTo: string | null;
}

export const MESSAGE_SERVICE_DEFAULTS = { retransmitMs: 5_000, typingTtlMs: 6_000, typingIntervalMs: 3_000, sendBatch: 256, maxInFlight: 128 } as const;

interface LinkState {
  link: MessageLink;
  /** The peer's resume point arrived (or we gave up waiting for it): sending may start. */
  resumed: boolean;
  /** The next own sequence number to put on the wire. */
  nextToSend: number;
  inbox: SequencedFrame[];
  flushScheduled: boolean;
  timer: unknown;
  /** The peer's ack when the timer was armed: no change by the time it fires means "resend". */
  ackAtArm: number;
  /** The receive point we last asked the peer to resume from after a gap. */
  nackedAt: number | null;
  /**
   * The own numbering epoch this link was told: set only once the resume naming it was handed
   * over; no own change goes before (a conversation made later is announced first).
   */
  announcedEpoch: string | null;
  /** The peer's new epoch was adopted on this link: a second one is refused (`epoch-flip`). */
  epochAdopted: boolean;
}

/**
 * The delivery engine of direct messages (MSG-01..03, PROTOCOL.md §7): exactly once, in order,
 * across link drops and restarts on either side.
 *
 * - Own changes are committed by the store first, then sent, oldest first.
 * - When a link opens both sides send `message.resume` (what they stored of the other's, and
 *   the read receipt); each then sends everything the other lacks.
 * - Received changes are stored (one transaction per burst), then acknowledged cumulatively.
 * - Without progress for `retransmitMs`, the unacknowledged changes go again; duplicates are
 *   recognised by ID and sequence number.
 *
 * The composition root connects a LinkManager's events to `handleLinkOpen`, `handleFrame`,
 * `handleLinkDrained` and `handleLinkClosed`.
 */
export class MessageService extends TypedEmitter<MessageServiceEvents> {
  readonly #store: MessageStore;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #sendReadReceipts: () => boolean;
  readonly #schedule: (fn: () => void) => void;
  readonly #retransmitMs: number;
  readonly #sendBatch: number;
  readonly #maxInFlight: number;
  readonly #links = new Map<string, LinkState>();
  readonly #typing: TypingTracker;
  readonly #refusals = new Map<RefusalReason, number>();
  readonly #groupCommit: GroupCommit<SendRequest, StoredMessage>;
  #closed = false;

  constructor(options: MessageServiceOptions) {
    const log = (options.logger ?? silentLogger).child({ component: 'messages' });
    super((err, event) => log.error({ err, event }, 'message listener threw'));
    this.#log = log;
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#sendReadReceipts = options.sendReadReceipts ?? (() => true);
    this.#schedule = options.schedule ?? ((fn) => setImmediate(fn));
    this.#retransmitMs = options.retransmitMs ?? MESSAGE_SERVICE_DEFAULTS.retransmitMs;
    this.#sendBatch = options.sendBatch ?? MESSAGE_SERVICE_DEFAULTS.sendBatch;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? MESSAGE_SERVICE_DEFAULTS.maxInFlight);
    this.#typing = new TypingTracker({
      clock: this.#clock,
      ttlMs: options.typingTtlMs ?? MESSAGE_SERVICE_DEFAULTS.typingTtlMs,
      intervalMs: options.typingIntervalMs ?? MESSAGE_SERVICE_DEFAULTS.typingIntervalMs,
      onChange: (peer, typing) => this.emit('typing', { peer, typing }),
    });
    this.#groupCommit = new GroupCommit<SendRequest, StoredMessage>({
      commitBatch: (items) => this.#store.sendBatch(items),
      commitOne: (item) => this.#store.send(item.peer, item.text, { replyTo: item.replyTo }),
      after: (messages) => this.#afterOwnMessages(messages),
      schedule: options.scheduleCommit ?? ((fn) => setImmediate(fn)),
      maxBatch: options.maxGroupCommit ?? 1_024,
    });
  }

  // ---- what the user does ----

  /** MSG-01/02: commit, then send if a link is up (else it waits in the outbox). */
  send(peer: string, text: string, options: { replyTo?: string | null } = {}): StoredMessage {
    const message = this.#store.send(peer, text, options);
    return this.#afterOwnChange(message, 'messageAdded');
  }

  /**
   * MSG-01/02 with group commit: messages asked for in the same turn of the event loop (by any
   * number of callers, to any contacts) are committed in one transaction; the promise settles
   * only after that commit (a message shown as sent is committed), with the stored message or
   * the error of this message alone (BAD_MESSAGE_TEXT, MESSAGE_NOT_FOUND, BAD_PEER_KEY).
   */
  sendAsync(peer: string, text: string, options: { replyTo?: string | null } = {}): Promise<StoredMessage> {
    return this.#groupCommit.add({ peer, text, replyTo: options.replyTo ?? null });
  }

  /** Several messages in one transaction (a bot, a script): one commit, then sent in order. */
  sendMany(peer: string, texts: readonly string[]): StoredMessage[] {
    const messages = this.#store.sendMany(peer, texts);
    for (const message of messages) this.emit('messageAdded', { peer: message.peer, message });
    const key = normalizePeer(peer);
    const state = this.#links.get(key);
    if (state) this.#pump(key, state);
    return messages;
  }

  edit(peer: string, id: string, text: string): StoredMessage {
    return this.#afterOwnChange(this.#store.edit(peer, id, text), 'messageUpdated');
  }

  delete(peer: string, id: string): StoredMessage {
    return this.#afterOwnChange(this.#store.delete(peer, id), 'messageUpdated');
  }

  toggleReaction(peer: string, id: string, emoji: string): StoredMessage {
    return this.#afterOwnChange(this.#store.toggleReaction(peer, id, emoji), 'messageUpdated');
  }

  /** The peer's messages up to `seq` have been on screen in a focused window. */
  markRead(peer: string, seq: number): void {
    const key = normalizePeer(peer);
    const upTo = this.#store.markRead(key, seq);
    if (upTo === null) return;
    this.emit('unreadChanged', { peer: key, unread: this.#store.unreadCount(key) });
    const state = this.#links.get(key);
    const wire = upTo - this.#store.syncPoints(key).peerSeqBase; // the peer's own numbering (§7.3)
    if (state?.resumed && this.#sendReadReceipts() && wire > 0) state.link.send({ type: 'receipt.read', upTo: wire });
  }

  /** The user is (not) typing in the conversation: sent at most every few seconds. */
  setTyping(peer: string, typing: boolean): void {
    const key = normalizePeer(peer);
    const state = this.#links.get(key);
    if (!state?.resumed) return;
    const send = this.#typing.outgoing(key, typing);
    if (send !== null) state.link.send({ type: 'typing.state', typing: send });
  }

  /** Refused frames by reason since the service started (PROTOCOL.md §7.5). */
  refusals(): Partial<Record<RefusalReason, number>> {
    return Object.fromEntries(this.#refusals);
  }

  // ---- what the links report ----

  handleLinkOpen(peer: string, link: MessageLink): void {
    const key = normalizePeer(peer);
    if (this.#closed) return;
    const old = this.#links.get(key);
    if (old) this.#dropLink(key, old); // a new session replaces a stale link
    const points = this.#store.syncPoints(key);
    const state: LinkState = {
      link,
      resumed: false,
      nextToSend: points.peerAcked + 1,
      inbox: [],
      flushScheduled: false,
      timer: null,
      ackAtArm: points.peerAcked,
      nackedAt: null,
      announcedEpoch: null,
      epochAdopted: false,
    };
    this.#links.set(key, state);
    this.#sendResume(state, points);
    this.#arm(key, state);
  }

  /** Contacts with messages waiting in the outbox: the root opens a link when one comes online. */
  peersWithPending(): string[] {
    return this.#store.peersWithPending();
  }

  /** Never throws for anything the peer sends: refused frames are counted, failures (a closed vault) logged. */
  handleFrame(peer: string, raw: unknown): void {
    const key = normalizePeer(peer);
    const state = this.#links.get(key);
    if (!state || this.#closed) return;
    try {
      this.#handleFrame(key, state, raw);
    } catch (err) {
      this.#log.warn({ err: (err as { code?: string }).code ?? 'unknown' }, 'message frame not handled');
    }
  }

  #handleFrame(key: string, state: LinkState, raw: unknown): void {
    const parsed = parseMessageFrame(raw);
    if (!parsed.ok) {
      this.#refuse(key, parsed.problem, parsed.type);
      return;
    }
    const frame = parsed.frame;
    if (isSequencedFrame(frame)) {
      state.inbox.push(frame);
      if (!state.flushScheduled) {
        state.flushScheduled = true;
        this.#schedule(() => this.#flushInbox(key, state));
      }
      return;
    }
    switch (frame.type) {
      case 'message.ack':
        this.#onAck(key, frame.upTo);
        break;
      case 'message.resume':
        this.#onResume(key, state, frame);
        break;
      case 'receipt.read':
        this.#onRead(key, frame.upTo, 'receipt-beyond');
        break;
      case 'typing.state':
        this.#typing.incoming(key, frame.typing);
        break;
      default: {
        const never: never = frame;
        throw new Error(`unhandled frame ${String((never as { type: string }).type)}`);
      }
    }
  }

  /** The link can take frames again after `send` returned false. */
  handleLinkDrained(peer: string): void {
    const key = normalizePeer(peer);
    const state = this.#links.get(key);
    if (state) this.#pump(key, state);
  }

  handleLinkClosed(peer: string): void {
    const key = normalizePeer(peer);
    const state = this.#links.get(key);
    if (state) this.#dropLink(key, state);
    this.#typing.clear(key);
  }

  /** Store what has arrived, stop the timers, forget the links. The store stays open. */
  close(): void {
    if (this.#closed) return;
    this.#groupCommit.flush(); // asked for before the stop: committed (and their callers told)
    for (const [key, state] of [...this.#links]) this.#dropLink(key, state);
    this.#typing.close();
    this.#closed = true;
  }

  // ---- internals ----

  /** After a group commit: events, one pump per contact, then each message as it now stands. */
  #afterOwnMessages(messages: StoredMessage[]): StoredMessage[] {
    const peers = new Set<string>();
    for (const message of messages) {
      this.#typing.sent(message.peer);
      this.emit('messageAdded', { peer: message.peer, message });
      peers.add(message.peer);
    }
    for (const peer of peers) {
      const state = this.#links.get(peer);
      if (!state) continue;
      try {
        this.#pump(peer, state);
      } catch (err) {
        // Committed: it waits in the outbox for the next pump; the caller is not told of a failure.
        this.#log.warn({ err: (err as { code?: string }).code ?? 'unknown' }, 'send after commit failed');
      }
    }
    return messages.map((m) => (this.#links.has(m.peer) ? (this.#store.get(m.peer, m.id) ?? m) : m));
  }

  #afterOwnChange(message: StoredMessage, event: 'messageAdded' | 'messageUpdated'): StoredMessage {
    if (event === 'messageAdded') this.#typing.sent(message.peer);
    this.emit(event, { peer: message.peer, message });
    const state = this.#links.get(message.peer);
    if (state) this.#pump(message.peer, state);
    return state ? (this.#store.get(message.peer, message.id) ?? message) : message;
  }

  /**
   * Our resume point, in the peer's numbering, with both epochs (§7.3): `epoch` is ours (absent
   * before the conversation exists), `receivedEpoch` the peer's stream we count in (absent for a
   * conversation that predates epochs, null when we hold nothing of it), `from` our oldest
   * change still in the outbox.
   */
  #sendResume(state: LinkState, points: SyncPoints): boolean {
    const base = points.peerSeqBase;
    const legacy = points.peerEpoch === null && points.received > 0;
    const accepted = state.link.send({
      type: 'message.resume',
      received: points.received - base,
      // Nothing read is 0, never a number the peer's current stream has not reached.
      read: this.#sendReadReceipts() ? (points.read === 0 ? 0 : Math.max(0, points.read - base)) : null,
      ...(points.ownEpoch === null ? {} : { epoch: points.ownEpoch, from: points.peerAcked + 1 }),
      ...(legacy ? {} : { receivedEpoch: points.peerEpoch }),
      ...(points.ownEpoch !== null && points.ownEpochContinued ? { continued: true as const } : {}),
    });
    // Refused (back-pressure, not open yet): not announced, so the next pump says it again first.
    if (accepted) state.announcedEpoch = points.ownEpoch;
    return accepted;
  }

  /** Send own changes the peer lacks, oldest first, until done or the link pushes back. */
  #pump(key: string, state: LinkState): void {
    if (!state.resumed || this.#links.get(key) !== state) return;
    const first = state.nextToSend;
    const points = this.#store.syncPoints(key);
    // The conversation (and our epoch) was made after this link's resume: say it before any change.
    if (points.ownEpoch !== state.announcedEpoch && !this.#sendResume(state, points)) {
      this.#arm(key, state); // the drained event or the retransmit timer tries again
      return;
    }
    const windowEnd = points.peerAcked + this.#maxInFlight;
    let blocked = false;
    while (!blocked) {
      const room = Math.min(this.#sendBatch, windowEnd - (state.nextToSend - 1));
      if (room <= 0) break;
      const frames = this.#store.pendingFrames(key, state.nextToSend - 1, room);
      if (frames.length === 0) break;
      for (const frame of frames) {
        if (!state.link.send(frame)) {
          blocked = true;
          break;
        }
        state.nextToSend = frame.seq + 1;
      }
    }
    if (state.nextToSend > first) {
      this.#store.markSent(key, first, state.nextToSend - 1);
      this.emit('receipt', { peer: key, state: 'sent', upToSeq: state.nextToSend - 1 });
    }
    this.#arm(key, state);
  }

  #flushInbox(key: string, state: LinkState): void {
    state.flushScheduled = false;
    if (state.inbox.length === 0) return;
    const frames = state.inbox;
    state.inbox = [];
    let result;
    let base = 0;
    try {
      // The peer's numbers, moved onto this side's numbering of its stream (§7.3).
      base = this.#store.syncPoints(key).peerSeqBase;
      const local = base === 0 ? frames : frames.map((f) => ({ ...f, seq: f.seq + base }));
      result = this.#store.applyIncoming(key, bytesToBase64url(hexToBytes(key)), local);
    } catch (err) {
      // Nothing was stored and nothing acknowledged: the peer will send these again.
      this.#log.warn({ err: (err as { code?: string }).code ?? 'unknown' }, 'incoming messages not stored');
      return;
    }
    for (const r of result.refused) this.#refuse(key, r.reason, r.type);
    let added = false;
    for (const change of result.changed) {
      const message = result.messages.get(change.rowid);
      if (!message) continue;
      if (change.kind === 'added') added = true;
      this.emit(change.kind === 'added' ? 'messageAdded' : 'messageUpdated', { peer: key, message });
    }
    if (added) {
      this.#typing.incoming(key, false);
      this.emit('unreadChanged', { peer: key, unread: this.#store.unreadCount(key) });
    }
    const live = this.#links.get(key) === state;
    if (!live) return;
    if (result.changed.length > 0 || result.duplicates > 0 || result.received > 0) {
      state.link.send({ type: 'message.ack', upTo: result.received - base });
    }
    if (result.gap && state.nackedAt !== result.received) {
      state.nackedAt = result.received;
      this.#sendResume(state, this.#store.syncPoints(key));
    }
  }

  #onAck(key: string, upTo: number): void {
    const change = this.#store.applyAck(key, upTo);
    if (change === 'beyond') this.#refuse(key, 'ack-beyond', 'message.ack');
    else if (change === 'advanced') {
      this.emit('receipt', { peer: key, state: 'delivered', upToSeq: upTo });
      const state = this.#links.get(key);
      if (state) this.#pump(key, state); // the window moved; progress: the retransmit timer counts from here
    }
  }

  #onRead(key: string, upTo: number, reason: RefusalReason): boolean {
    const change = this.#store.applyPeerRead(key, upTo);
    if (change === 'beyond') {
      this.#refuse(key, reason, reason === 'receipt-beyond' ? 'receipt.read' : 'message.resume');
      return false;
    }
    if (change === 'advanced') this.emit('receipt', { peer: key, state: 'read', upToSeq: upTo });
    return true;
  }

  #onResume(key: string, state: LinkState, frame: Extract<MessageFrame, { type: 'message.resume' }>): void {
    let points = this.#store.syncPoints(key);
    if (frame.epoch != null && frame.epoch !== points.peerEpoch) {
      // The peer numbers in a stream we do not count in: it lost its history (restored from a
      // backup) or we never knew its epoch. Its changes go after what we hold, unless it says
      // the epoch continues the stream we hold without one. Once per link: a peer flipping
      // epochs would force a full-sync write and a rewind per resume.
      if (state.epochAdopted) {
        this.#refuse(key, 'epoch-flip', 'message.resume');
        return;
      }
      state.epochAdopted = true;
      this.#store.adoptPeerEpoch(key, frame.epoch, frame.from ?? 1, frame.continued === true);
      points = this.#store.syncPoints(key);
    }
    const knowsOurs = frame.receivedEpoch === undefined || (frame.receivedEpoch !== null && frame.receivedEpoch === points.ownEpoch);
    if (!knowsOurs) {
      // It holds nothing of our stream (or an old one of ours): what our outbox still has goes.
      state.resumed = true;
      state.nextToSend = points.peerAcked + 1;
      this.#pump(key, state);
      return;
    }
    const { received, read } = frame;
    if (received > points.ownSeq || (read !== null && read > points.ownSeq)) {
      // The peer claims changes we never made (its vault is not the one we talked to): keep ours.
      this.#refuse(key, 'resume-beyond', 'message.resume');
    } else {
      this.#onAck(key, received);
      if (read !== null) this.#onRead(key, read, 'resume-beyond');
    }
    state.resumed = true;
    state.nextToSend = Math.min(received, points.ownSeq) + 1; // go back to what it lacks
    this.#pump(key, state);
  }

  /** Keep one timer per link while something waits: our resume, or an ack for what we sent. */
  #arm(key: string, state: LinkState): void {
    if (state.timer !== null) this.#clock.clearTimeout(state.timer);
    state.timer = null;
    const points = this.#store.syncPoints(key);
    if (state.resumed && points.peerAcked >= points.ownSeq) return;
    state.ackAtArm = points.peerAcked;
    state.timer = this.#clock.setTimeout(() => {
      state.timer = null;
      if (this.#links.get(key) !== state) return;
      try {
        this.#retransmit(key, state);
      } catch (err) {
        this.#log.warn({ err: (err as { code?: string }).code ?? 'unknown' }, 'retransmit failed');
      }
    }, this.#retransmitMs);
  }

  #retransmit(key: string, state: LinkState): void {
    const now = this.#store.syncPoints(key);
    if (!state.resumed) {
      // Our resume or theirs was lost: say ours again and go on from what is known.
      this.#sendResume(state, now);
      state.resumed = true;
    }
    if (now.peerAcked === state.ackAtArm) state.nextToSend = now.peerAcked + 1; // no progress: go back N
    this.#pump(key, state);
  }

  #dropLink(key: string, state: LinkState): void {
    if (state.timer !== null) this.#clock.clearTimeout(state.timer);
    state.timer = null;
    this.#links.delete(key);
    this.#flushInbox(key, state); // authentic frames that arrived: store them (no ack: the link is gone)
  }

  #refuse(key: string, reason: RefusalReason, type: string | null): void {
    this.#refusals.set(reason, (this.#refusals.get(reason) ?? 0) + 1);
    this.#log.debug({ reason, type }, 'message frame refused');
    this.emit('frameRefused', { peer: key, reason, type });
  }
}

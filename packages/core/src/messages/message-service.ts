import { isSequencedFrame, parseMessageFrame } from '@discordopus/protocol/messages';
import { TypedEmitter } from '../events/typed-emitter';
import { silentLogger, type Logger } from '../logging/logger';
import { systemClock, type Clock } from '../signaling/clock';
import type { RefusalReason } from './apply-incoming';
import { GroupCommit } from './group-commit';
import { flushInbox } from './incoming-burst';
import { errorCode, newLinkState, type DeliveryContext, type LinkState, type MessageLink } from './link-state';
import type { MessageServiceEvents } from './message-events';
import { normalizePeer } from './message-rows';
import type { MessageStore } from './message-store';
import type { StoredMessage } from './message-types';
import { onAck, onRead, onResume } from './resume-handling';
import { arm, disarm, pump, sendResume } from './send-pump';
import { TypingTracker } from './typing-tracker';

export type { MessageLink } from './link-state';

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
  readonly #log: Logger;
  readonly #sendReadReceipts: () => boolean;
  readonly #schedule: (fn: () => void) => void;
  readonly #links = new Map<string, LinkState>();
  readonly #typing: TypingTracker;
  readonly #refusals = new Map<RefusalReason, number>();
  readonly #groupCommit: GroupCommit<SendRequest, StoredMessage>;
  readonly #ctx: DeliveryContext;
  #closed = false;

  constructor(options: MessageServiceOptions) {
    const log = (options.logger ?? silentLogger).child({ component: 'messages' });
    super((err, event) => log.error({ err, event }, 'message listener threw'));
    this.#log = log;
    this.#store = options.store;
    const clock = options.clock ?? systemClock;
    this.#sendReadReceipts = options.sendReadReceipts ?? (() => true);
    this.#schedule = options.schedule ?? ((fn) => setImmediate(fn));
    this.#typing = new TypingTracker({
      clock,
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
    this.#ctx = {
      store: this.#store,
      clock,
      log,
      links: this.#links,
      typing: this.#typing,
      sendReadReceipts: this.#sendReadReceipts,
      retransmitMs: options.retransmitMs ?? MESSAGE_SERVICE_DEFAULTS.retransmitMs,
      sendBatch: options.sendBatch ?? MESSAGE_SERVICE_DEFAULTS.sendBatch,
      maxInFlight: Math.max(1, options.maxInFlight ?? MESSAGE_SERVICE_DEFAULTS.maxInFlight),
      emit: (event, payload) => this.emit(event, payload),
      refuse: (key, reason, type) => this.#refuse(key, reason, type),
    };
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
    if (state) pump(this.#ctx, key, state);
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
    const state = newLinkState(link, points);
    this.#links.set(key, state);
    sendResume(this.#ctx, state, points);
    arm(this.#ctx, key, state);
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
      this.#log.warn({ err: errorCode(err) }, 'message frame not handled');
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
        this.#schedule(() => flushInbox(this.#ctx, key, state));
      }
      return;
    }
    switch (frame.type) {
      case 'message.ack':
        onAck(this.#ctx, key, frame.upTo);
        break;
      case 'message.resume':
        onResume(this.#ctx, key, state, frame);
        break;
      case 'receipt.read':
        onRead(this.#ctx, key, frame.upTo, 'receipt-beyond');
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
    if (state) pump(this.#ctx, key, state);
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
        pump(this.#ctx, peer, state);
      } catch (err) {
        // Committed: it waits in the outbox for the next pump; the caller is not told of a failure.
        this.#log.warn({ err: errorCode(err) }, 'send after commit failed');
      }
    }
    return messages.map((m) => (this.#links.has(m.peer) ? (this.#store.get(m.peer, m.id) ?? m) : m));
  }

  #afterOwnChange(message: StoredMessage, event: 'messageAdded' | 'messageUpdated'): StoredMessage {
    if (event === 'messageAdded') this.#typing.sent(message.peer);
    this.emit(event, { peer: message.peer, message });
    const state = this.#links.get(message.peer);
    if (state) pump(this.#ctx, message.peer, state);
    return state ? (this.#store.get(message.peer, message.id) ?? message) : message;
  }

  #dropLink(key: string, state: LinkState): void {
    disarm(this.#ctx, state);
    this.#links.delete(key);
    flushInbox(this.#ctx, key, state); // authentic frames that arrived: store them (no ack: the link is gone)
  }

  #refuse(key: string, reason: RefusalReason, type: string | null): void {
    this.#refusals.set(reason, (this.#refusals.get(reason) ?? 0) + 1);
    this.#log.debug({ reason, type }, 'message frame refused');
    this.emit('frameRefused', { peer: key, reason, type });
  }
}

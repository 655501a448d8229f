import { isMessagePeerFrame } from '@discordopus/protocol';
import type { ContactsStore } from '../contacts/contacts-store';
import type { Logger } from '../logging/logger';
import { MessageService, type MessageLink, type MessageServiceOptions } from '../messages/message-service';
import type { MessageStore } from '../messages/message-store';
import type { ConversationSummary, HistoryPage, StoredMessage } from '../messages/message-types';
import type { SettingsStore } from '../settings/settings-store';
import type { Clock } from '../signaling/clock';
import type { ClientCoreEvents } from './client-core-events';
import type { MessageLinkPort } from './message-link-port';
import { OutboxOpenGate } from './outbox-open-gate';

/** The delivery engine's tunables a root may set (tests shorten them; the app keeps the defaults). */
export type MessageTunables = Partial<Pick<MessageServiceOptions, 'retransmitMs' | 'typingTtlMs' | 'typingIntervalMs' | 'sendBatch' | 'maxInFlight'>> & {
  /**
   * While changes wait for a contact who is online and no link is open (a set-up that failed
   * and was given up, a refused open), ask for a link again this often (intent 'auto').
   */
  outboxRetryMs?: number;
  /** The longest wait between automatic opens for one contact (the back-off's cap). */
  outboxRetryMaxMs?: number;
};

export const OUTBOX_RETRY_MS = 15_000;
export const OUTBOX_RETRY_MAX_MS = 8 * OUTBOX_RETRY_MS;

type MessageEventName = 'messageAdded' | 'messageUpdated' | 'messageReceipt' | 'unreadChanged' | 'typingChanged';
type Emit = <E extends MessageEventName>(event: E, payload: Parameters<ClientCoreEvents[E]>[0]) => void;

export interface ClientMessagesOptions {
  store: MessageStore;
  contacts: ContactsStore;
  settings: SettingsStore;
  clock: Clock;
  tunables?: MessageTunables;
  emit: Emit;
  logger: Logger;
}

const VISIBLE = new Set(['online', 'away', 'busy']);

/**
 * The root's wiring of direct messages (MSG-01..05, issue #12):
 *
 *   user calls (send, edit, …) ──► MessageService ──► MessageStore (the unlocked vault)
 *   service events ──► messageAdded / messageUpdated / messageReceipt / unreadChanged / typingChanged
 *   links: `linkState` open ──► handleLinkOpen(peer, a MessageLink bound to that link id)
 *          `linkState` closed (the current link) ──► handleLinkClosed   `drained` ──► handleLinkDrained
 *          `frame` (a message frame) ──► handleFrame
 *   a waiting outbox opens a link (intent 'auto') when the contact is seen online and at start,
 *   then again with a capped back-off per contact; never after a close for auth-failed,
 *   relay-required, refused or contact-removed, or a security warning (OutboxOpenGate);
 *   a message the user sends opens one (intent 'user') when the contact is online, unless a
 *   security warning holds it (only the user opening the link, once dismissed, lifts that).
 *
 * The service lives from start() to stop(): stop() stores what arrived, clears every timer and
 * forgets the links, so nothing is written after the vault closes. Between runs the user calls
 * still work on the store (a message written while stopped waits in the outbox).
 */
export class ClientMessages {
  readonly #o: ClientMessagesOptions;
  #service: MessageService;
  #port: MessageLinkPort | null = null;
  /** The open link per contact (hex) the service was told about. */
  readonly #current = new Map<string, string>();
  readonly #off: (() => void)[] = [];
  #running = false;
  #retryTimer: unknown = null;
  readonly #gate: OutboxOpenGate;

  constructor(options: ClientMessagesOptions) {
    this.#o = options;
    const baseMs = options.tunables?.outboxRetryMs ?? OUTBOX_RETRY_MS;
    this.#gate = new OutboxOpenGate({ baseMs, maxMs: Math.max(baseMs, options.tunables?.outboxRetryMaxMs ?? OUTBOX_RETRY_MAX_MS) });
    this.#service = this.#createService();
  }

  /** The links this core has (null: a core without direct links; messages then only queue). */
  attachLinks(port: MessageLinkPort): void {
    this.#port = port;
    port.onLinkState((e) => {
      if (!this.#running) return;
      if (e.state === 'open') {
        this.#gate.linkOpened(e.peer);
        this.#current.set(e.peer, e.linkId);
        this.#service.handleLinkOpen(e.peer, this.#messageLink(port, e.peer, e.linkId));
      } else if (e.state === 'closed') {
        // Any link of the contact (one still connecting too) may say why not to try again.
        this.#gate.linkClosed(e.peer, e.reason);
        if (this.#current.get(e.peer) !== e.linkId) return;
        this.#current.delete(e.peer);
        this.#service.handleLinkClosed(e.peer);
        // A link that went idle (or was closed by the user) while changes wait: open another.
        // Other reasons either reopen by themselves (links) or mean the peer is leaving or refused.
        if (e.reason === 'idle' && this.#isReachable(e.peer)) this.#openIfPending(e.peer);
      }
    });
    port.onSecurityWarning(({ peer }) => this.#gate.securityWarning(peer));
    port.onFrame(({ peer, frame }) => {
      if (this.#running && isMessagePeerFrame(frame)) this.#service.handleFrame(peer, frame);
    });
    port.onDrained(({ peer, linkId }) => {
      if (this.#running && this.#current.get(peer) === linkId) this.#service.handleLinkDrained(peer);
    });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { contacts } = this.#o;
    this.#off.push(
      contacts.on('changed', ({ reason, publicKey }) => {
        if (reason === 'added' && publicKey !== null) this.#gate.forget(publicKey); // added (again): a fresh start
        if (reason !== 'presence' || publicKey === null) return;
        // Gone offline: the back-off starts over when the contact comes back (holds stay).
        if (this.#isReachable(publicKey)) this.#openIfPending(publicKey);
        else this.#gate.contactGone(publicKey);
      }),
    );
    this.#retryWaiting();
  }

  /** Store what arrived, stop every timer, forget the links; a fresh service takes the user's calls. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    for (const off of this.#off.splice(0)) off();
    if (this.#retryTimer !== null) this.#o.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#current.clear();
    this.#service.close();
    this.#service = this.#createService();
  }

  /** Refused frames by reason since start (PROTOCOL.md §7.5). */
  refusals(): ReturnType<MessageService['refusals']> {
    return this.#service.refusals();
  }

  send(peer: string, text: string, options: { replyTo?: string | null } = {}): StoredMessage {
    return this.#afterChange(this.#service.send(peer, text, options));
  }

  /** `send` with group commit (MessageService.sendAsync): settles after the commit that holds it. */
  async sendAsync(peer: string, text: string, options: { replyTo?: string | null } = {}): Promise<StoredMessage> {
    const message = await this.#service.sendAsync(peer, text, options);
    this.#armRetry();
    if (this.#running && this.#isReachable(message.peer)) this.#open(message.peer, 'user');
    return message;
  }

  edit(peer: string, id: string, text: string): StoredMessage {
    return this.#afterChange(this.#service.edit(peer, id, text));
  }

  delete(peer: string, id: string): StoredMessage {
    return this.#afterChange(this.#service.delete(peer, id));
  }

  toggleReaction(peer: string, id: string, emoji: string): StoredMessage {
    return this.#afterChange(this.#service.toggleReaction(peer, id, emoji));
  }

  markRead(peer: string, seq: number): void {
    this.#service.markRead(peer, seq);
  }

  setTyping(peer: string, typing: boolean): void {
    this.#service.setTyping(peer, typing);
  }

  history(peer: string, options: { before?: string; after?: string; limit?: number } = {}): HistoryPage {
    return this.#o.store.history(peer, options);
  }

  conversations(): ConversationSummary[] {
    return this.#o.store.conversations();
  }

  search(query: string, options: { peer?: string; limit?: number } = {}): StoredMessage[] {
    const limit = options.limit === undefined ? {} : { limit: options.limit };
    return options.peer === undefined ? this.#o.store.searchAll(query, limit) : this.#o.store.search(options.peer, query, limit);
  }

  setMuted(peer: string, muted: boolean): void {
    this.#o.store.setMuted(peer, muted);
  }

  /** An edit, delete or reaction: goes now if a link is up, else when one opens for the outbox. */
  #afterChange(message: StoredMessage): StoredMessage {
    this.#armRetry();
    if (!this.#gate.userChanged(message.peer)) {
      this.#o.logger.debug({ hold: this.#gate.hold(message.peer)?.reason }, 'no link for messages until the security warning is dismissed');
    } else if (this.#running && this.#isReachable(message.peer)) this.#open(message.peer, 'user');
    return message;
  }

  /**
   * The user opened the link to this contact themselves (the root's openLink with intent 'user';
   * the app does it only once a security warning was dismissed): automatic opens may resume.
   */
  userOpenedLink(peer: string): void {
    this.#gate.userOpened(peer);
  }

  /**
   * Open a link for every waiting outbox whose contact is online and has none; look again
   * later while anything waits. No timer runs when every outbox is empty.
   */
  #retryWaiting(): void {
    this.#retryTimer = null;
    if (!this.#running) return;
    let waiting = false;
    try {
      for (const peer of this.#service.peersWithPending()) {
        waiting = true;
        if (this.#isReachable(peer)) this.#openIfPending(peer);
      }
    } catch (err) {
      this.#o.logger.warn({ err: (err as { code?: string }).code ?? 'unknown' }, 'waiting outboxes not checked');
      waiting = true; // look again later: one store error must not stop the retries for good
    }
    if (waiting) this.#armRetry();
  }

  /** Something waits in an outbox: make sure it is looked at again. */
  #armRetry(): void {
    if (!this.#running || this.#retryTimer !== null) return;
    this.#retryTimer = this.#o.clock.setTimeout(() => this.#retryWaiting(), this.#o.tunables?.outboxRetryMs ?? OUTBOX_RETRY_MS);
  }

  #openIfPending(peer: string): void {
    if (this.#current.has(peer)) return;
    const points = this.#o.store.syncPoints(peer);
    if (points.ownSeq > points.peerAcked && this.#gate.tryAuto(peer, this.#o.clock.monotonic())) this.#open(peer, 'auto');
  }

  #open(peer: string, intent: 'user' | 'auto'): void {
    if (this.#port === null) return;
    const result = this.#port.open(peer, { intent });
    if (!result.ok) this.#o.logger.debug({ code: result.code, intent }, 'no link for messages');
  }

  #isReachable(peer: string): boolean {
    return VISIBLE.has(this.#o.contacts.presenceOf(peer) ?? 'unknown');
  }

  /** Frames for one link only: once it is replaced or closed, its sends report "not handed over". */
  #messageLink(port: MessageLinkPort, peer: string, linkId: string): MessageLink {
    return { send: (frame) => this.#running && this.#current.get(peer) === linkId && port.send(peer, frame) };
  }

  #createService(): MessageService {
    const { store, settings, clock, emit, logger } = this.#o;
    const { outboxRetryMs: _retry, outboxRetryMaxMs: _max, ...tunables } = this.#o.tunables ?? {};
    const service = new MessageService({
      store,
      clock,
      sendReadReceipts: () => settings.get('privacy.sendReadReceipts'),
      logger,
      ...tunables,
    });
    service.on('messageAdded', (e) => emit('messageAdded', e));
    service.on('messageUpdated', (e) => emit('messageUpdated', e));
    service.on('receipt', (e) => emit('messageReceipt', e));
    service.on('unreadChanged', (e) => emit('unreadChanged', e));
    service.on('typing', (e) => emit('typingChanged', e));
    return service;
  }
}

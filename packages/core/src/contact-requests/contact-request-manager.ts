import { decodeUserId, encodeUserId, hexToBytes, requestNoteSchema, type ContactRequestErrorCode, type OwnStatus, type RequestBody, shortUserId } from '@discordopus/protocol';
import type { ContactsStore } from '../contacts/contacts-store';
import { ContactError } from '../contacts/contact-error';
import { TypedEmitter } from '../events/typed-emitter';
import { verifyProfileCard, type ProfileCardFrame } from '../identity/profile-card';
import type { Logger } from '../logging/logger';
import type { Clock } from '../signaling/clock';
import { RequestBudget } from './request-budget';
import { nextSendAt } from './request-schedule';
import type { RequestOpenErrorCode, RequestSealer } from './request-sealer';
import type { RequestStore, StoredBlockedKey, StoredIncomingRequest } from './request-store';

/** Why an incoming request was dropped: a sealing refusal, or one of the manager's own. */
export type RequestDropCode = RequestOpenErrorCode | 'BLOCKED' | 'BAD_CARD' | 'NOT_REQUESTED' | 'TOO_MANY';

/** At most this many requests from different people are kept (ignored ones count; the oldest ignored one makes room). */
export const MAX_INCOMING_REQUESTS = 500;
/** An ignored request is forgotten after 30 days, an unanswered one after 90 (from when it first arrived). */
export const IGNORED_REQUEST_TTL_MS = 30 * 24 * 60 * 60_000;
export const UNANSWERED_REQUEST_TTL_MS = 90 * 24 * 60 * 60_000;
/** Received requests are announced at most this often (`changed` with reason `received`). */
export const RECEIVED_COALESCE_MS = 250;

export type ContactRequestEvents = {
  /** Incoming requests or blocked keys changed: read `overview()`. */
  changed: (e: { reason: 'received' | 'accepted' | 'ignored' | 'blocked' | 'unblocked' }) => void;
  /** A relayed request was dropped (counted in `stats()`). */
  dropped: (e: { code: RequestDropCode }) => void;
};

export interface RequestPorts {
  /** `contact.request.send` to a key (hex); false when not connected. */
  send(toHex: string, payload: string): boolean;
  /** The user's own status: an invisible user answers nothing. */
  ownStatus(): OwnStatus;
}

export interface ContactRequestManagerOptions {
  sealer: RequestSealer;
  store: RequestStore;
  contacts: ContactsStore;
  ports: RequestPorts;
  /** The user's signed display name. */
  ownProfileCard: () => ProfileCardFrame;
  clock: Clock;
  /** This side's own budget (under the server's 5 per minute): requests per minute and burst. */
  perMinute?: number;
  burst?: number;
  /** The first wait before a pending contact's request is sent again (default 5 minutes; later waits grow, see request-schedule). */
  resendIntervalMs?: number;
  /** Requests kept waiting for an answer (default MAX_INCOMING_REQUESTS). */
  maxIncoming?: number;
  logger: Logger;
}

export interface RequestsOverview {
  incoming: StoredIncomingRequest[];
  blocked: StoredBlockedKey[];
  /** Requests from new senders refused since start because the list was full of unanswered ones. */
  refusedWhileFull: number;
}

/**
 * Contact requests and blocking (CONT-06). Adding someone stores a request (with the user's
 * note) that is sealed and sent whenever connected — again every `resendIntervalMs`, within a
 * token budget of this side — until they add the user back. Received requests are opened,
 * checked (the signed display name against the sender's key) and stored for the user to
 * accept, ignore or block. Blocked keys are refused here and removed from the contact list,
 * so the server neither relays their signals nor shows their presence.
 */
export class ContactRequestManager extends TypedEmitter<ContactRequestEvents> {
  readonly #o: ContactRequestManagerOptions;
  readonly #budget: RequestBudget;
  readonly #resendMs: number;
  readonly #drops = new Map<RequestDropCode, number>();
  /** Notes for contacts being added through addContact (read by the `added` listener). */
  readonly #notes = new Map<string, string>();
  /** Accepted requests whose `request.accepted` has not gone out yet (offline, or over the budget). */
  readonly #acceptances = new Set<string>();
  /** Contacts being added by accepting their request (no request of ours goes to them). */
  readonly #accepting = new Set<string>();
  #connected = false;
  #refusedWhileFull = 0;
  #timer: unknown = null;
  /** A coalesced `changed` (reason `received`) is waiting to be emitted. */
  #receivedTimer: unknown = null;
  #unsubscribe: (() => void) | null = null;

  constructor(options: ContactRequestManagerOptions) {
    super((err, event) => options.logger.error({ err, event }, 'contact request listener failed'));
    this.#o = options;
    this.#resendMs = options.resendIntervalMs ?? 5 * 60_000;
    this.#budget = new RequestBudget({ clock: options.clock, perMinute: options.perMinute ?? 4, burst: options.burst ?? 4 });
  }

  /** Follow the contact list (a new contact gets a request) until stop(). */
  start(): void {
    if (this.#unsubscribe) return;
    this.#requestForPendingWithout();
    this.#unsubscribe = this.#o.contacts.on('changed', ({ reason, publicKey }) => {
      if (publicKey === null) return;
      if (reason === 'added') this.#contactAdded(publicKey);
      else if (reason === 'removed') this.#o.store.deleteOutgoing(publicKey);
    });
  }

  /** Pending contacts added while no manager ran (the CLI, a restored backup) get a request (without a note). */
  #requestForPendingWithout(): void {
    const { store, contacts, clock } = this.#o;
    const has = new Set(store.outgoing().map((r) => r.publicKey));
    for (const contact of contacts.list()) {
      if (contact.pending && !has.has(contact.publicKey)) store.putOutgoing(contact.publicKey, '', clock.now());
    }
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.handleDisconnected();
    if (this.#receivedTimer !== null) this.#o.clock.clearTimeout(this.#receivedTimer);
    this.#receivedTimer = null;
  }

  /** CONT-01 + CONT-06: add a contact and send them a request with this note. */
  addContact(userId: string, options: { nickname?: string | null; note?: string } = {}) {
    // Checked before anything is stored: a note the sealer would refuse fails here, with a sentence.
    const note = requestNoteSchema.safeParse(options.note ?? '');
    if (!note.success) throw ContactError.badNote(note.error.issues[0]?.message ?? 'it breaks the note rules');
    const hex = Buffer.from(decodeUserId(userId)).toString('hex');
    this.#notes.set(hex, note.data);
    let contact;
    try {
      contact = this.#o.contacts.add(userId, { nickname: options.nickname ?? null });
    } finally {
      this.#notes.delete(hex);
    }
    // Their request was already here: accepting it now (not later) returns the contact as it
    // ends up, with their name and not pending, so the caller never holds an older copy.
    if (this.#o.store.incomingFrom(hex) !== null) return this.accept(hex);
    return contact;
  }

  overview(): RequestsOverview {
    return { incoming: this.#o.store.incoming(), blocked: this.#o.store.blocked(), refusedWhileFull: this.#refusedWhileFull };
  }

  isBlocked(publicKeyHex: string): boolean {
    return /^[0-9a-f]{64}$/.test(publicKeyHex) && this.#o.store.isBlocked(publicKeyHex);
  }

  /** Dropped requests by code, since start. */
  stats(): Partial<Record<RequestDropCode, number>> {
    return Object.fromEntries(this.#drops);
  }

  /** Accept: add them back (with their signed name), and tell them. */
  accept(publicKeyHex: string) {
    const { store, contacts } = this.#o;
    const request = store.incomingFrom(publicKeyHex);
    if (request === null) throw ContactError.notFound();
    this.#card(); // the own card is readable (the profile is open) before anything is written
    this.#accepting.add(publicKeyHex);
    let contact;
    try {
      // One transaction: the contact, its evidence, its name and the request's removal together.
      contact = store.batch(() => {
        const added = contacts.get(publicKeyHex) ?? contacts.add(request.userId);
        contacts.markAddedBack(publicKeyHex, 'request');
        contacts.applyProfileCard(publicKeyHex, request.card);
        store.deleteIncoming(publicKeyHex);
        return added;
      });
    } finally {
      this.#accepting.delete(publicKeyHex);
    }
    // Told within this side's budget, and again at the next connection if it could not be sent.
    this.#acceptances.add(publicKeyHex);
    this.#flush();
    this.emit('changed', { reason: 'accepted' });
    return contacts.get(publicKeyHex) ?? contact;
  }

  /** Ignore: hidden here; the sender is told nothing and stays "pending" on their side. */
  ignore(publicKeyHex: string): void {
    if (!this.#o.store.ignoreIncoming(publicKeyHex)) throw ContactError.notFound();
    this.emit('changed', { reason: 'ignored' });
  }

  /** Block a requester or a contact: refused from now on; a contact is removed (links close, presence stops). */
  block(publicKeyHex: string): void {
    const { store, contacts } = this.#o;
    const contact = contacts.get(publicKeyHex);
    const label = contact?.shownName ?? store.incomingFrom(publicKeyHex)?.card.displayName ?? shortUserId(encodeUserId(hexToBytes(publicKeyHex)));
    store.batch(() => {
      store.block(publicKeyHex, label, this.#o.clock.now());
      store.deleteIncoming(publicKeyHex);
      store.deleteOutgoing(publicKeyHex);
    });
    if (contact !== null) contacts.remove(publicKeyHex);
    this.emit('changed', { reason: 'blocked' });
  }

  unblock(publicKeyHex: string): void {
    if (!this.#o.store.unblock(publicKeyHex)) throw ContactError.notFound();
    this.emit('changed', { reason: 'unblocked' });
  }

  /** The signaling connection is up: send what is due, then keep resending while connected. */
  handleConnected(): void {
    this.#connected = true;
    this.#flush();
  }

  /** The user's own status changed: nothing goes out while invisible; a visible status sends what is due. */
  handleOwnStatusChanged(): void {
    this.#flush();
  }

  handleDisconnected(): void {
    this.#connected = false;
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The server refused one of ours (RATE_LIMITED, TOO_LARGE): it is tried again at the next round. */
  handleRequestError(e: { id: string | null; code: ContactRequestErrorCode }): void {
    this.#o.logger.debug({ code: e.code }, 'a contact request was refused by the server');
  }

  /** A relayed `contact.request`; `from` is the server-stamped sender (hex). */
  handleRequest(e: { from: string; payload: string }): void {
    const from = e.from.toLowerCase();
    if (this.isBlocked(from)) return this.#drop('BLOCKED');
    const opened = this.#o.sealer.open({ from, payload: e.payload });
    if (!opened.ok) return this.#drop(opened.code);
    const verdict = verifyProfileCard({ card: opened.body.card, ownerPublicKey: hexToBytes(from), nowMs: this.#o.clock.now() });
    if (!verdict.ok) return this.#drop('BAD_CARD');
    const { contacts, store } = this.#o;
    const contact = contacts.get(from);
    if (opened.body.type === 'request.accepted') {
      if (contact === null) return this.#drop('NOT_REQUESTED');
      contacts.markAddedBack(from, 'request');
      contacts.applyProfileCard(from, verdict.card);
      store.deleteOutgoing(from);
      return;
    }
    if (contact !== null) {
      // They added us and we list them already: mutual. Say so, unless invisible.
      contacts.markAddedBack(from, 'request');
      contacts.applyProfileCard(from, verdict.card);
      store.deleteOutgoing(from);
      // Within this side's budget: a contact repeating requests cannot make us spend the server's.
      if (this.#o.ports.ownStatus() !== 'invisible' && this.#budget.take()) this.#sendBody(from, { type: 'request.accepted', card: this.#card() });
      return;
    }
    const now = this.#o.clock.now();
    let visible = store.expireIncoming({ ignoredBefore: now - IGNORED_REQUEST_TTL_MS, unansweredBefore: now - UNANSWERED_REQUEST_TTL_MS }) > 0;
    if (store.incomingFrom(from) === null && store.incomingCount() >= (this.#o.maxIncoming ?? MAX_INCOMING_REQUESTS)) {
      // Full: the oldest ignored request makes room; unanswered ones are never dropped silently.
      if (!store.evictOldestIgnored()) {
        this.#refusedWhileFull += 1;
        this.#drop('TOO_MANY');
        this.#announceReceived(); // the count is shown: "list full, N refused"
        return;
      }
    }
    visible = store.putIncoming(from, verdict.card, opened.body.note, now) || visible;
    if (visible) this.#announceReceived();
  }

  /** Requests from new senders refused because the list was full of unanswered ones (shown to the user). */
  get refusedWhileFull(): number {
    return this.#refusedWhileFull;
  }

  /** `changed` (received) at most once per RECEIVED_COALESCE_MS: a stream of requests is one update. */
  #announceReceived(): void {
    if (this.#receivedTimer !== null) return;
    this.#receivedTimer = this.#o.clock.setTimeout(() => {
      this.#receivedTimer = null;
      this.emit('changed', { reason: 'received' });
    }, RECEIVED_COALESCE_MS);
  }

  #contactAdded(publicKey: string): void {
    if (this.#accepting.has(publicKey)) return;
    const contact = this.#o.contacts.get(publicKey);
    if (contact === null || !contact.pending) return;
    this.#o.store.putOutgoing(publicKey, this.#notes.get(publicKey) ?? '', this.#o.clock.now());
    // A request from them already waiting here means they added us first: accept it at once
    // (addContact does so itself, after the add returns; another add path on the next turn).
    if (this.#o.store.incomingFrom(publicKey) !== null) {
      if (this.#notes.has(publicKey)) return;
      queueMicrotask(() => {
        try {
          if (this.#o.store.incomingFrom(publicKey) !== null) this.accept(publicKey);
        } catch (err) {
          this.#o.logger.warn({ err }, 'a waiting contact request could not be accepted');
        }
      });
      return;
    }
    // The user's own action: sent once now even while invisible (like accept); resends are not.
    this.#flush(publicKey);
  }

  /**
   * Send what is due, then wake when the next one is. Nothing goes out while invisible (a request
   * is a signed "I am online now"), except `explicit`: the one the user just added. Errors (a
   * locked vault, a disk error) are logged, never thrown: this also runs from a timer.
   */
  #flush(explicit: string | null = null): void {
    try {
      this.#sendDue(explicit);
      this.#schedule();
    } catch (err) {
      this.#o.logger.warn({ err }, 'contact requests could not be sent');
    }
  }

  #sendDue(explicit: string | null): void {
    if (!this.#connected) return;
    // Acceptances first: the user's own answers (sent even while invisible, like the accept itself).
    for (const key of [...this.#acceptances]) {
      if (this.#o.contacts.get(key) === null) {
        this.#acceptances.delete(key);
        continue;
      }
      if (!this.#budget.take()) return;
      if (this.#sendBody(key, { type: 'request.accepted', card: this.#card() })) this.#acceptances.delete(key);
    }
    const invisible = this.#o.ports.ownStatus() === 'invisible';
    const now = this.#o.clock.now();
    const { store, contacts } = this.#o;
    for (const request of store.outgoing()) {
      const contact = contacts.get(request.publicKey);
      if (contact === null || !contact.pending) {
        store.deleteOutgoing(request.publicKey);
        continue;
      }
      if (invisible && request.publicKey !== explicit) continue;
      const due = nextSendAt(request, this.#resendMs);
      if (due === null || due > now) continue;
      if (!this.#budget.take()) break;
      if (this.#sendBody(request.publicKey, { type: 'request.send', card: this.#card(), note: request.note })) {
        store.markOutgoingSent(request.publicKey, now);
      }
    }
  }

  #schedule(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#connected) return;
    const now = this.#o.clock.now();
    const invisible = this.#o.ports.ownStatus() === 'invisible';
    const dues = (invisible ? [] : this.#o.store.outgoing())
      .map((r) => nextSendAt(r, this.#resendMs))
      .filter((at): at is number => at !== null);
    if (this.#acceptances.size > 0) dues.push(now);
    if (dues.length === 0) return;
    // Woken when the next request is due and the budget has a token for it.
    const delay = Math.max(Math.min(...dues) - now, this.#budget.msUntilNext());
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, Math.max(1_000, delay));
  }

  #sendBody(to: string, body: RequestBody): boolean {
    let payload: string;
    try {
      payload = this.#o.sealer.seal({ to, body });
    } catch (err) {
      this.#o.logger.warn({ err }, 'a contact request could not be sealed');
      return false;
    }
    return this.#o.ports.send(to, payload);
  }

  #card() {
    const { displayName, updatedAtMs, signature } = this.#o.ownProfileCard();
    return { displayName, updatedAtMs, signature };
  }

  #drop(code: RequestDropCode): void {
    this.#drops.set(code, (this.#drops.get(code) ?? 0) + 1);
    this.#o.logger.debug({ code }, 'contact request dropped');
    this.emit('dropped', { code });
  }
}

import { decodeUserId, encodeUserId, hexToBytes, type ContactRequestErrorCode, type OwnStatus, type RequestBody, shortUserId } from '@discordopus/protocol';
import type { ContactsStore } from '../contacts/contacts-store';
import { ContactError } from '../contacts/contact-error';
import { TypedEmitter } from '../events/typed-emitter';
import { verifyProfileCard, type ProfileCardFrame } from '../identity/profile-card';
import type { Logger } from '../logging/logger';
import type { Clock } from '../signaling/clock';
import { RequestBudget } from './request-budget';
import type { RequestOpenErrorCode, RequestSealer } from './request-sealer';
import type { RequestStore, StoredBlockedKey, StoredIncomingRequest } from './request-store';

/** Why an incoming request was dropped: a sealing refusal, or one of the manager's own. */
export type RequestDropCode = RequestOpenErrorCode | 'BLOCKED' | 'BAD_CARD' | 'NOT_REQUESTED' | 'TOO_MANY';

/** At most this many requests from different people wait for an answer (ignored ones count). */
export const MAX_INCOMING_REQUESTS = 500;

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
  /** A pending contact's request is sent again this often while connected (default 5 minutes). */
  resendIntervalMs?: number;
  /** Requests kept waiting for an answer (default MAX_INCOMING_REQUESTS). */
  maxIncoming?: number;
  logger: Logger;
}

export interface RequestsOverview {
  incoming: StoredIncomingRequest[];
  blocked: StoredBlockedKey[];
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
  /** Contacts being added by accepting their request (no request of ours goes to them). */
  readonly #accepting = new Set<string>();
  #connected = false;
  #timer: unknown = null;
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
    this.#unsubscribe = this.#o.contacts.on('changed', ({ reason, publicKey }) => {
      if (publicKey === null) return;
      if (reason === 'added') this.#contactAdded(publicKey);
      else if (reason === 'removed') this.#o.store.deleteOutgoing(publicKey);
    });
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.handleDisconnected();
  }

  /** CONT-01 + CONT-06: add a contact and send them a request with this note. */
  addContact(userId: string, options: { nickname?: string | null; note?: string } = {}) {
    const hex = Buffer.from(decodeUserId(userId)).toString('hex');
    this.#notes.set(hex, options.note ?? '');
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
    return { incoming: this.#o.store.incoming(), blocked: this.#o.store.blocked() };
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
    this.#accepting.add(publicKeyHex);
    let contact;
    try {
      contact = contacts.get(publicKeyHex) ?? contacts.add(request.userId);
    } finally {
      this.#accepting.delete(publicKeyHex);
    }
    contacts.markAddedBack(publicKeyHex);
    contacts.applyProfileCard(publicKeyHex, request.card);
    store.deleteIncoming(publicKeyHex);
    this.#sendBody(publicKeyHex, { type: 'request.accepted', card: this.#card() });
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
      contacts.markAddedBack(from);
      contacts.applyProfileCard(from, verdict.card);
      store.deleteOutgoing(from);
      return;
    }
    if (contact !== null) {
      // They added us and we list them already: mutual. Say so, unless invisible.
      contacts.markAddedBack(from);
      contacts.applyProfileCard(from, verdict.card);
      store.deleteOutgoing(from);
      // Within this side's budget: a contact repeating requests cannot make us spend the server's.
      if (this.#o.ports.ownStatus() !== 'invisible' && this.#budget.take()) this.#sendBody(from, { type: 'request.accepted', card: this.#card() });
      return;
    }
    if (store.incomingFrom(from) === null && store.incomingCount() >= (this.#o.maxIncoming ?? MAX_INCOMING_REQUESTS)) return this.#drop('TOO_MANY');
    store.putIncoming(from, verdict.card, opened.body.note, this.#o.clock.now());
    this.emit('changed', { reason: 'received' });
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
        if (this.#o.store.incomingFrom(publicKey) !== null) this.accept(publicKey);
      });
      return;
    }
    this.#flush();
  }

  #flush(): void {
    if (!this.#connected) return;
    const now = this.#o.clock.now();
    const { store, contacts } = this.#o;
    for (const request of store.outgoing()) {
      const contact = contacts.get(request.publicKey);
      if (contact === null || !contact.pending) {
        store.deleteOutgoing(request.publicKey);
        continue;
      }
      if (request.lastSentAt !== null && now - request.lastSentAt < this.#resendMs) continue;
      if (!this.#budget.take()) break;
      if (this.#sendBody(request.publicKey, { type: 'request.send', card: this.#card(), note: request.note })) {
        store.markOutgoingSent(request.publicKey, now);
      }
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
    const outgoing = this.#o.store.outgoing();
    if (!this.#connected || outgoing.length === 0) return;
    // Woken when the next request is due and the budget has a token for it.
    const now = this.#o.clock.now();
    const due = Math.min(...outgoing.map((r) => (r.lastSentAt === null ? 0 : Math.max(0, r.lastSentAt + this.#resendMs - now))));
    const delay = Math.max(due, this.#budget.msUntilNext());
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

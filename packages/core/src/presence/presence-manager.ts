import {
  base64urlToBytes,
  bytesToBase64url,
  bytesToHex,
  type ClientMessage,
  hexToBytes,
  type OwnStatus,
  type ServerMessageOf,
  type SessionLimits,
} from '@discordopus/protocol';
import { TypedEmitter } from '../events/typed-emitter';
import { type Logger, silentLogger } from '../logging/logger';
import { type Clock, systemClock } from '../signaling/clock';
import type { ContactPresence, PresenceManagerEvents } from './presence-events';

/** What presence needs from the contact store: keys (hex) and a way to record presence. */
export interface PresenceContactsPort {
  publicKeysHex(): string[];
  presenceOf(publicKeyHex: string): ContactPresence | null;
  /** `lastSeenAt` null leaves the stored last-seen time as it is. */
  updatePresence(publicKeyHex: string, status: ContactPresence, lastSeenAt: number | null): void;
  markAllUnknown(): void;
  /** Run `fn` as one write to the store (many presence updates, one commit). */
  batch(fn: () => void): void;
}

/** Where the user's own status lives (the vault's settings, PRES-01). */
export interface OwnStatusPort {
  get(): OwnStatus;
  set(status: OwnStatus): void;
}

export interface PresenceManagerOptions {
  contacts: PresenceContactsPort;
  ownStatus: OwnStatusPort;
  clock?: Clock;
  logger?: Logger;
}

type PacedMessage = 'contacts.set' | 'presence.set';

/**
 * Presence (PRES-01..03). Owns the user's status (persisted, restored at launch, sent on
 * change) and the contacts' presence (from the server's snapshot and updates, written to the
 * vault). Gets its input through handle*() calls from the composition root and announces
 * changes, and the messages it wants sent to the server (`outgoing`), as typed events.
 *
 * What it sends is state, not a stream of commands: the latest status and the latest contact
 * list are marked dirty and sent within the server's presence budget (announced in the
 * welcome), so a burst of changes collapses to the last one and a rate-limited send is
 * repeated instead of lost — the server always ends up with what the user chose last.
 */
export class PresenceManager extends TypedEmitter<PresenceManagerEvents> {
  readonly #contacts: PresenceContactsPort;
  readonly #ownStatus: OwnStatusPort;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #connected = false;
  readonly #dirty = new Set<PacedMessage>();
  #bucket = { tokens: 0, capacity: 1, perSecond: 1, at: 0 };
  #flushTimer: unknown = null;

  constructor(options: PresenceManagerOptions) {
    super((err, event) => options.logger?.error({ err, event }, 'presence listener failed'));
    this.#contacts = options.contacts;
    this.#ownStatus = options.ownStatus;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The user's status as stored; what the next login announces. */
  get status(): OwnStatus {
    return this.#ownStatus.get();
  }

  /** PRES-01: store the status (it survives restarts) and tell the server if connected. */
  setStatus(status: OwnStatus): void {
    const prev = this.#ownStatus.get();
    this.#ownStatus.set(status);
    if (this.#connected) this.#markDirty('presence.set');
    if (prev !== status) this.emit('statusChanged', { status, prev });
  }

  /**
   * The session is authenticated. Upload the contact list (the server answers with a snapshot)
   * and correct the status if the user changed it after the login proof was sent.
   */
  handleConnected(session: { loginStatus: OwnStatus; limits: Pick<SessionLimits, 'presencePerSecond' | 'presenceBurst'> }): void {
    this.#connected = true;
    const capacity = Math.max(1, session.limits.presenceBurst);
    this.#bucket = { tokens: capacity, capacity, perSecond: Math.max(0.01, session.limits.presencePerSecond), at: this.#clock.monotonic() };
    this.#dirty.add('contacts.set');
    if (this.#ownStatus.get() !== session.loginStatus) this.#dirty.add('presence.set');
    this.#flush();
  }

  /** The session is gone: nobody's presence is known any more (no stale "online"). */
  handleDisconnected(reason: string): void {
    const wasConnected = this.#connected;
    this.#connected = false;
    this.#dirty.clear();
    this.#cancelFlush();
    if (!wasConnected) return;
    // Whoever was visible was seen until now.
    const now = this.#clock.now();
    this.#contacts.batch(() => {
      for (const key of this.#contacts.publicKeysHex()) {
        const status = this.#contacts.presenceOf(key);
        if (status === 'online' || status === 'away' || status === 'busy') this.#contacts.updatePresence(key, status, now);
      }
    });
    this.#contacts.markAllUnknown();
    this.emit('presenceReset', { reason });
  }

  /** Contacts were added or removed: the server must know the new list (PRES-03 is mutual). */
  handleContactsChanged(): void {
    if (this.#connected) this.#markDirty('contacts.set');
  }

  /** The server dropped one of our messages for rate: send the latest state again, later. */
  handleRateLimited(about: string | null): void {
    if (!this.#connected || (about !== 'contacts.set' && about !== 'presence.set')) return;
    this.#bucket.tokens = 0;
    this.#bucket.at = this.#clock.monotonic();
    this.#markDirty(about);
  }

  /** Full presence of our visible mutual contacts; everyone else is offline. */
  handleSnapshot(message: ServerMessageOf<'presence.snapshot'>): void {
    const visible = new Map<string, ContactPresence>();
    for (const entry of message.contacts) visible.set(bytesToHex(base64urlToBytes(entry.publicKey)), entry.status);
    this.#contacts.batch(() => {
      for (const key of this.#contacts.publicKeysHex()) this.#apply(key, visible.get(key) ?? 'offline');
    });
  }

  /** One mutual contact's presence changed. Keys that are not our contacts are ignored. */
  handleUpdate(message: ServerMessageOf<'presence.update'>): void {
    const key = bytesToHex(base64urlToBytes(message.publicKey));
    if (this.#contacts.presenceOf(key) === null) {
      this.#logger.debug({}, 'presence for a key that is not a contact; ignored');
      return;
    }
    this.#apply(key, message.status);
  }

  #apply(publicKeyHex: string, status: ContactPresence): void {
    const prev = this.#contacts.presenceOf(publicKeyHex);
    if (prev === status) return;
    const now = this.#clock.now();
    // Last seen: the moment we last knew them to be visible.
    const visibleNowOrBefore = status !== 'offline' || (prev !== null && prev !== 'offline' && prev !== 'unknown');
    const lastSeenAt = visibleNowOrBefore ? now : null;
    this.#contacts.updatePresence(publicKeyHex, status, lastSeenAt);
    this.emit('presenceChanged', { publicKeyHex, status, lastSeenAt });
  }

  #markDirty(what: PacedMessage): void {
    this.#dirty.add(what);
    if (this.#flushTimer === null) this.#flush();
  }

  /** Send what is dirty (contact list first, so the snapshot comes early) within the budget. */
  #flush(): void {
    this.#flushTimer = null;
    if (!this.#connected) return;
    const b = this.#bucket;
    const mono = this.#clock.monotonic();
    b.tokens = Math.min(b.capacity, b.tokens + ((mono - b.at) / 1000) * b.perSecond);
    b.at = mono;
    for (const what of ['contacts.set', 'presence.set'] as const) {
      if (!this.#dirty.has(what)) continue;
      if (b.tokens < 1) break;
      b.tokens -= 1;
      this.#dirty.delete(what);
      this.emit('outgoing', { message: this.#message(what) });
    }
    if (this.#dirty.size > 0) {
      const waitMs = Math.ceil(((1 - b.tokens) / b.perSecond) * 1000);
      this.#flushTimer = this.#clock.setTimeout(() => this.#flush(), Math.max(1, waitMs));
    }
  }

  #message(what: PacedMessage): ClientMessage {
    if (what === 'presence.set') return { type: 'presence.set', status: this.#ownStatus.get() };
    const contacts = this.#contacts.publicKeysHex().map((hex) => bytesToBase64url(hexToBytes(hex)));
    return { type: 'contacts.set', contacts };
  }

  #cancelFlush(): void {
    if (this.#flushTimer !== null) this.#clock.clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
  }
}

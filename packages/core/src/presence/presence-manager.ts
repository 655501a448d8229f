import { base64urlToBytes, bytesToBase64url, bytesToHex, type ClientMessage, hexToBytes, type OwnStatus, type ServerMessageOf } from '@discordopus/protocol';
import { TypedEmitter } from '../events/typed-emitter';
import { type Logger, silentLogger } from '../logging/logger';
import type { ContactPresence, PresenceManagerEvents } from './presence-events';

/** What presence needs from the contact store: keys (hex) and a way to record presence. */
export interface PresenceContactsPort {
  publicKeysHex(): string[];
  presenceOf(publicKeyHex: string): ContactPresence | null;
  /** `lastSeenAt` null leaves the stored last-seen time as it is. */
  updatePresence(publicKeyHex: string, status: ContactPresence, lastSeenAt: number | null): void;
  markAllUnknown(): void;
}

/** Where the user's own status lives (the vault's settings, PRES-01). */
export interface OwnStatusPort {
  get(): OwnStatus;
  set(status: OwnStatus): void;
}

export interface PresenceManagerOptions {
  contacts: PresenceContactsPort;
  ownStatus: OwnStatusPort;
  /** Send on the signaling session; false when not connected. */
  send: (message: ClientMessage) => boolean;
  now?: () => number;
  logger?: Logger;
}

/**
 * Presence (PRES-01..03). Owns the user's status (persisted, restored at launch, sent on
 * change) and the contacts' presence (from the server's snapshot and updates, written to the
 * vault). Gets its input through handle*() calls from the composition root and announces
 * changes as typed events.
 */
export class PresenceManager extends TypedEmitter<PresenceManagerEvents> {
  readonly #contacts: PresenceContactsPort;
  readonly #ownStatus: OwnStatusPort;
  readonly #send: (message: ClientMessage) => boolean;
  readonly #now: () => number;
  readonly #logger: Logger;
  #connected = false;

  constructor(options: PresenceManagerOptions) {
    super((err, event) => options.logger?.error({ err, event }, 'presence listener failed'));
    this.#contacts = options.contacts;
    this.#ownStatus = options.ownStatus;
    this.#send = options.send;
    this.#now = options.now ?? Date.now;
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
    if (this.#connected) this.#send({ type: 'presence.set', status });
    if (prev !== status) this.emit('statusChanged', { status, prev });
  }

  /** The session is authenticated: upload the contact list (the server answers with a snapshot). */
  handleConnected(): void {
    this.#connected = true;
    this.#uploadContacts();
  }

  /** The session is gone: nobody's presence is known any more (no stale "online"). */
  handleDisconnected(reason: string): void {
    const wasConnected = this.#connected;
    this.#connected = false;
    if (!wasConnected) return;
    this.#contacts.markAllUnknown();
    this.emit('presenceReset', { reason });
  }

  /** Contacts were added or removed: the server must know the new list (PRES-03 is mutual). */
  handleContactsChanged(): void {
    if (this.#connected) this.#uploadContacts();
  }

  /** Full presence of our visible mutual contacts; everyone else is offline. */
  handleSnapshot(message: ServerMessageOf<'presence.snapshot'>): void {
    const visible = new Map<string, ContactPresence>();
    for (const entry of message.contacts) visible.set(bytesToHex(base64urlToBytes(entry.publicKey)), entry.status);
    for (const key of this.#contacts.publicKeysHex()) this.#apply(key, visible.get(key) ?? 'offline');
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
    const now = this.#now();
    // Last seen: the moment we last knew them to be visible.
    const visibleNowOrBefore = status !== 'offline' || (prev !== null && prev !== 'offline' && prev !== 'unknown');
    const lastSeenAt = visibleNowOrBefore ? now : null;
    this.#contacts.updatePresence(publicKeyHex, status, lastSeenAt);
    this.emit('presenceChanged', { publicKeyHex, status, lastSeenAt });
  }

  #uploadContacts(): void {
    const contacts = this.#contacts.publicKeysHex().map((hex) => bytesToBase64url(hexToBytes(hex)));
    this.#send({ type: 'contacts.set', contacts });
  }
}

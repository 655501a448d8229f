import { base64urlToBytes, CONTACT_STATUSES, type ContactStatus, decodeUserId, encodeUserId, publicKeyProblem, shortUserId } from '@discordopus/protocol';
import { TypedEmitter } from '../events/typed-emitter';
import { silentLogger, type Logger } from '../logging/logger';
import { verifyProfileCard, type ProfileCardVerdict, type VerifiedProfileCard } from '../identity/profile-card';
import { checkShortName } from '../text/short-name';
import type { Connection } from '../vault/connection';
import { ContactError } from './contact-error';

/** What we know of a contact right now; `unknown` until the signaling server tells us (protocol's one list). */
export const ONLINE_STATUSES = CONTACT_STATUSES;
export type OnlineStatus = ContactStatus;

export interface Contact {
  /** The Ed25519 public key, 64 lower-case hex characters: the contact's key in every API. */
  publicKey: string;
  userId: string;
  nickname: string | null;
  /** The name the contact gave themselves, from their signed profile card (P2P-05), or null. */
  displayName: string | null;
  /** When the contact set that name (their clock, ms since the epoch), or null. */
  displayNameUpdatedAt: number | null;
  /** What to show: the local nickname, else the contact's display name, else the short user ID. */
  shownName: string;
  verified: boolean;
  onlineStatus: OnlineStatus;
  /** ms since the epoch, or null when never seen. */
  lastSeenAt: number | null;
  addedAt: number;
  /**
   * CONT-06: nothing has shown yet that they added the user back (no visible presence, request
   * or acceptance from them): "Pending" rather than "Offline".
   */
  pending: boolean;
}

/** What showed that a contact lists the user too (see `markAddedBack`). */
export type AddedBackEvidence = 'presence' | 'request' | 'link' | 'card' | 'backup';

/** The outcome of `applyProfileCard`. */
export type ProfileCardApplied =
  | { applied: true; contact: Contact }
  | { applied: false; reason: 'NOT_A_CONTACT' | 'NOT_NEWER' | Extract<ProfileCardVerdict, { ok: false }>['code'] };

export type ContactsChangeReason = 'added' | 'removed' | 'updated' | 'presence';

export type ContactsEvents = {
  /** `publicKey` is null when many contacts changed at once (`markAllUnknown`). */
  changed: (e: { reason: ContactsChangeReason; publicKey: string | null }) => void;
};

interface ContactRow {
  public_key: Buffer;
  nickname: string | null;
  display_name: string | null;
  display_name_updated_at: number | null;
  verified: number;
  added_at: number;
  last_seen_at: number | null;
  added_back_at: number | null;
}

const COLUMNS = 'public_key, nickname, display_name, display_name_updated_at, verified, added_at, last_seen_at, added_back_at';
const VISIBLE: ReadonlySet<OnlineStatus> = new Set(['online', 'away', 'busy']);
const HEX_KEY = /^[0-9a-f]{64}$/;

/**
 * The contact list (CONT-01..05), stored in the vault. Online status is kept in memory only: it
 * is true only while connected, so every contact starts `unknown` when the vault opens; the
 * last time a contact was seen is stored.
 */
export class ContactsStore extends TypedEmitter<ContactsEvents> {
  readonly #conn: Connection;
  readonly #ownPublicKey: string;
  readonly #now: () => number;
  readonly #status = new Map<string, OnlineStatus>();

  constructor(options: { connection: Connection; ownPublicKey: Uint8Array; now?: () => number; logger?: Logger }) {
    const log = options.logger ?? silentLogger;
    super((err, event) => log.error({ err, event }, 'contacts listener threw'));
    this.#conn = options.connection;
    this.#ownPublicKey = Buffer.from(options.ownPublicKey).toString('hex');
    this.#now = options.now ?? Date.now;
  }

  /**
   * CONT-01. Throws UserIdError for a malformed ID, CONTACT_KEY_UNUSABLE for an ID whose key
   * fails the protocol's key rule (PROTOCOL.md §1: a small-order key could be impersonated by
   * anyone), CONTACT_IS_SELF, CONTACT_EXISTS or BAD_NICKNAME.
   */
  add(userId: string, options: { nickname?: string | null; /** Restoring a backup: when it was first added. */ addedAt?: number } = {}): Contact {
    const key = decodeUserId(userId);
    if (publicKeyProblem(key) !== null) throw ContactError.keyUnusable();
    const publicKey = Buffer.from(key).toString('hex');
    if (publicKey === this.#ownPublicKey) throw ContactError.isSelf();
    // CONT-06: a blocked key stays blocked until the user unblocks it in Settings.
    if (this.#conn.prepare('SELECT 1 FROM blocked_keys WHERE public_key = ?').pluck().get(key) !== undefined) throw ContactError.blocked();
    const nickname = normalizeNickname(options.nickname ?? null);
    const result = this.#conn
      .prepare('INSERT INTO contacts (public_key, nickname, added_at) VALUES (?, ?, ?) ON CONFLICT (public_key) DO NOTHING')
      .run(key, nickname, options.addedAt ?? this.#now());
    if (result.changes === 0) throw ContactError.exists(this.get(publicKey)?.nickname ?? shortUserId(encodeUserId(key)));
    this.emit('changed', { reason: 'added', publicKey });
    return this.#require(publicKey);
  }

  /** CONT-02: every contact, in the order they were added. */
  list(): Contact[] {
    const rows = this.#conn.prepare(`SELECT ${COLUMNS} FROM contacts ORDER BY id`).all() as ContactRow[];
    return rows.map((row) => this.#toContact(row));
  }

  /** Every contact's key (hex), in the order they were added: no user-ID encoding, for hot paths. */
  publicKeys(): string[] {
    const rows = this.#conn.prepare('SELECT public_key FROM contacts ORDER BY id').pluck().all() as Buffer[];
    return rows.map((key) => key.toString('hex'));
  }

  /** A contact's presence, or null when the key is not a contact. */
  presenceOf(publicKey: string): OnlineStatus | null {
    const key = normalizeKey(publicKey);
    const known = this.#conn.prepare('SELECT 1 FROM contacts WHERE public_key = ?').pluck().get(keyBytes(key));
    return known === undefined ? null : (this.#status.get(key) ?? 'unknown');
  }

  /**
   * Run many presence updates as one write (one commit, one fsync) instead of one each: a
   * snapshot of thousands of contacts must not stall the process.
   */
  batch<T>(fn: () => T): T {
    return this.#conn.transaction(fn);
  }

  get(publicKey: string): Contact | null {
    const row = this.#conn.prepare(`SELECT ${COLUMNS} FROM contacts WHERE public_key = ?`).get(keyBytes(publicKey)) as
      | ContactRow
      | undefined;
    return row ? this.#toContact(row) : null;
  }

  get count(): number {
    return this.#conn.prepare('SELECT count(*) AS n FROM contacts').pluck().get() as number;
  }

  /** CONT-03. */
  remove(publicKey: string): void {
    const result = this.#conn.prepare('DELETE FROM contacts WHERE public_key = ?').run(keyBytes(publicKey));
    if (result.changes === 0) throw ContactError.notFound();
    this.#status.delete(normalizeKey(publicKey));
    this.emit('changed', { reason: 'removed', publicKey: normalizeKey(publicKey) });
  }

  /** CONT-04: trimmed, 1–64 characters, no control characters; null clears it. */
  setNickname(publicKey: string, nickname: string | null): Contact {
    return this.#update(publicKey, 'nickname = ?', normalizeNickname(nickname));
  }

  /** CONT-05: after the user compared safety numbers (or to undo that). */
  setVerified(publicKey: string, verified: boolean): Contact {
    return this.#update(publicKey, 'verified = ?', verified ? 1 : 0);
  }

  /**
   * P2P-05: store the display name a contact sent in a profile card. The card is checked here
   * against the contact's key (purpose `profileCard`, the name rules, not dated in the future),
   * so nothing unsigned is ever stored; it replaces the stored one only if it is newer. Returns
   * why it was not applied instead of throwing: a card is network input.
   */
  applyProfileCard(publicKey: string, card: VerifiedProfileCard): ProfileCardApplied {
    const key = normalizeKey(publicKey);
    const row = this.#conn.prepare('SELECT display_name_updated_at FROM contacts WHERE public_key = ?').get(keyBytes(key)) as
      | { display_name_updated_at: number | null }
      | undefined;
    if (!row) return { applied: false, reason: 'NOT_A_CONTACT' };
    const verdict = verifyProfileCard({ card, ownerPublicKey: keyBytes(key), nowMs: this.#now() });
    if (!verdict.ok) return { applied: false, reason: verdict.code };
    if (row.display_name_updated_at !== null && row.display_name_updated_at >= verdict.card.updatedAtMs) {
      if (this.#setAddedBack(key, 'card')) this.emit('changed', { reason: 'updated', publicKey: key });
      return { applied: false, reason: 'NOT_NEWER' };
    }
    const updated = this.#conn
      .prepare(
        `UPDATE contacts SET display_name = ?, display_name_updated_at = ?, display_name_signature = ?
         WHERE public_key = ? AND (display_name_updated_at IS NULL OR display_name_updated_at < ?)`,
      )
      .run(verdict.card.displayName, verdict.card.updatedAtMs, base64urlToBytes(verdict.card.signature), keyBytes(key), verdict.card.updatedAtMs);
    const addedBack = this.#setAddedBack(key, 'card');
    if (updated.changes === 0) {
      if (addedBack) this.emit('changed', { reason: 'updated', publicKey: key });
      return { applied: false, reason: 'NOT_NEWER' };
    }
    this.emit('changed', { reason: 'updated', publicKey: key });
    return { applied: true, contact: this.#require(key) };
  }

  /**
   * What the network learned about a contact. `lastSeenAt` null keeps the stored value. Returns
   * false (and changes nothing) for a key that is not a contact: presence is network input.
   */
  updatePresence(publicKey: string, status: OnlineStatus, lastSeenAt: number | null): boolean {
    if (!ONLINE_STATUSES.includes(status)) throw ContactError.badStatus(status);
    const key = normalizeKey(publicKey);
    const row = this.#conn.prepare('SELECT last_seen_at FROM contacts WHERE public_key = ?').get(keyBytes(key)) as
      | { last_seen_at: number | null }
      | undefined;
    if (!row) return false;
    // CONT-06: the server shows a status only between mutual contacts: they added the user back.
    if (VISIBLE.has(status)) this.markAddedBack(key, 'presence');
    let changed = false;
    if (lastSeenAt !== null && (row.last_seen_at === null || row.last_seen_at < lastSeenAt)) {
      this.#conn.prepare('UPDATE contacts SET last_seen_at = ? WHERE public_key = ?').run(lastSeenAt, keyBytes(key));
      changed = true;
    }
    if ((this.#status.get(key) ?? 'unknown') !== status) {
      this.#status.set(key, status);
      changed = true;
    }
    if (changed) this.emit('changed', { reason: 'presence', publicKey: key });
    return true;
  }

  /**
   * CONT-06: they list the user too, so the contact is no longer pending. The one rule for what
   * counts (nothing the server alone could fake into a false "added back" for a stranger):
   * - `presence`: a visible status (the server shows one only between mutual contacts);
   * - `request`: a signed `request.send` or `request.accepted` from them;
   * - `link`: an authenticated direct link opened with them (set up only between mutual contacts);
   * - `card`: a profile card from them that verifies under their key (sent over a link or a request);
   * - `backup`: the user's own encrypted backup says this vault had such evidence.
   * Migration 005 applies the same rule to contacts from before it. Returns whether anything changed.
   */
  markAddedBack(publicKey: string, evidence: AddedBackEvidence): boolean {
    const key = normalizeKey(publicKey);
    if (!this.#setAddedBack(key, evidence)) return false;
    this.emit('changed', { reason: 'updated', publicKey: key });
    return true;
  }

  /** markAddedBack without the event (for a caller that emits one event for several changes). */
  #setAddedBack(key: string, evidence: AddedBackEvidence): boolean {
    void evidence; // named at every call site, so the rule above stays the whole list
    return this.#conn.prepare('UPDATE contacts SET added_back_at = ? WHERE public_key = ? AND added_back_at IS NULL').run(this.#now(), keyBytes(key)).changes > 0;
  }

  /** Everyone's status becomes `unknown` (the connection to the signaling server was lost). */
  markAllUnknown(): void {
    if (this.#status.size === 0) return;
    this.#status.clear();
    this.emit('changed', { reason: 'presence', publicKey: null });
  }

  #update(publicKey: string, assignment: string, value: string | number | null): Contact {
    const key = normalizeKey(publicKey);
    const result = this.#conn.prepare(`UPDATE contacts SET ${assignment} WHERE public_key = ?`).run(value, keyBytes(key));
    if (result.changes === 0) throw ContactError.notFound();
    this.emit('changed', { reason: 'updated', publicKey: key });
    return this.#require(key);
  }

  #require(publicKey: string): Contact {
    const contact = this.get(publicKey);
    if (!contact) throw ContactError.notFound();
    return contact;
  }

  #toContact(row: ContactRow): Contact {
    const publicKey = row.public_key.toString('hex');
    const userId = encodeUserId(row.public_key);
    return {
      publicKey,
      userId,
      nickname: row.nickname,
      displayName: row.display_name,
      displayNameUpdatedAt: row.display_name_updated_at,
      shownName: row.nickname ?? row.display_name ?? shortUserId(userId),
      verified: row.verified === 1,
      onlineStatus: this.#status.get(publicKey) ?? 'unknown',
      lastSeenAt: row.last_seen_at,
      addedAt: row.added_at,
      pending: row.added_back_at === null,
    };
  }
}

/** null clears the nickname; a string must pass the short-name rule (a blank one is refused). */
export function normalizeNickname(raw: string | null): string | null {
  if (raw === null) return null;
  const checked = checkShortName(raw, 'A nickname');
  if ('problem' in checked) throw ContactError.badNickname(checked.problem);
  return checked.name;
}

function normalizeKey(publicKey: string): string {
  const key = typeof publicKey === 'string' ? publicKey.toLowerCase() : '';
  if (!HEX_KEY.test(key)) throw ContactError.badPublicKey();
  return key;
}

function keyBytes(publicKey: string): Buffer {
  return Buffer.from(normalizeKey(publicKey), 'hex');
}

import { encodeUserId } from '@discordopus/protocol';
import type { VerifiedProfileCard } from '../identity/profile-card';
import type { Connection } from '../vault/connection';

/** Someone asks to be added (CONT-06), as stored: their checked, signed name and their note. */
export interface StoredIncomingRequest {
  /** hex */
  publicKey: string;
  userId: string;
  card: VerifiedProfileCard;
  note: string;
  receivedAt: number;
  ignored: boolean;
}

export interface StoredBlockedKey {
  publicKey: string;
  userId: string;
  label: string;
  blockedAt: number;
}

export interface StoredOutgoingRequest {
  publicKey: string;
  note: string;
  createdAt: number;
  lastSentAt: number | null;
}

interface IncomingRow {
  public_key: Buffer;
  display_name: string;
  display_name_updated_at: number;
  display_name_signature: Buffer;
  note: string;
  received_at: number;
  ignored: number;
}

const key = (hex: string): Buffer => Buffer.from(hex, 'hex');

/**
 * The vault's side of contact requests (migration 005): incoming requests, the requests this
 * side keeps sending, and blocked keys. Plain reads and writes; the rules live in the manager.
 */
export class RequestStore {
  readonly #conn: Connection;

  constructor(connection: Connection) {
    this.#conn = connection;
  }

  incoming(options: { includeIgnored?: boolean } = {}): StoredIncomingRequest[] {
    const where = options.includeIgnored ? '' : 'WHERE ignored = 0';
    const rows = this.#conn.prepare(`SELECT * FROM incoming_requests ${where} ORDER BY received_at, public_key`).all() as IncomingRow[];
    return rows.map(toIncoming);
  }

  incomingFrom(publicKey: string): StoredIncomingRequest | null {
    const row = this.#conn.prepare('SELECT * FROM incoming_requests WHERE public_key = ?').get(key(publicKey)) as IncomingRow | undefined;
    return row ? toIncoming(row) : null;
  }

  /** Requests stored, ignored ones included. */
  incomingCount(): number {
    return this.#conn.prepare('SELECT count(*) FROM incoming_requests').pluck().get() as number;
  }

  /**
   * Store (or refresh) a request; an ignored one stays ignored, and `received_at` stays the time
   * it first arrived (the list's order never moves under the user's pointer). Returns whether
   * anything the user sees changed: a new sender, or a new name or note on a shown request.
   */
  putIncoming(publicKey: string, card: VerifiedProfileCard, note: string, receivedAt: number): boolean {
    const before = this.incomingFrom(publicKey);
    this.#conn
      .prepare(
        `INSERT INTO incoming_requests (public_key, display_name, display_name_updated_at, display_name_signature, note, received_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (public_key) DO UPDATE SET display_name = excluded.display_name,
           display_name_updated_at = excluded.display_name_updated_at, display_name_signature = excluded.display_name_signature,
           note = excluded.note`,
      )
      .run(key(publicKey), card.displayName, card.updatedAtMs, Buffer.from(card.signature, 'base64url'), note, receivedAt);
    if (before === null) return true;
    return !before.ignored && (before.note !== note || before.card.displayName !== card.displayName);
  }

  /** Forget ignored requests first received before `ignoredBefore`, others before `unansweredBefore`; returns how many shown ones went. */
  expireIncoming(limits: { ignoredBefore: number; unansweredBefore: number }): number {
    this.#conn.prepare('DELETE FROM incoming_requests WHERE ignored = 1 AND received_at < ?').run(limits.ignoredBefore);
    return this.#conn.prepare('DELETE FROM incoming_requests WHERE ignored = 0 AND received_at < ?').run(limits.unansweredBefore).changes;
  }

  /** Make room: forget the ignored request that arrived first. False when none is ignored. */
  evictOldestIgnored(): boolean {
    const sql = 'DELETE FROM incoming_requests WHERE public_key = (SELECT public_key FROM incoming_requests WHERE ignored = 1 ORDER BY received_at, public_key LIMIT 1)';
    return this.#conn.prepare(sql).run().changes > 0;
  }

  ignoreIncoming(publicKey: string): boolean {
    return this.#conn.prepare('UPDATE incoming_requests SET ignored = 1 WHERE public_key = ? AND ignored = 0').run(key(publicKey)).changes > 0;
  }

  deleteIncoming(publicKey: string): boolean {
    return this.#conn.prepare('DELETE FROM incoming_requests WHERE public_key = ?').run(key(publicKey)).changes > 0;
  }

  outgoing(): StoredOutgoingRequest[] {
    const rows = this.#conn.prepare('SELECT public_key, note, created_at, last_sent_at FROM outgoing_requests ORDER BY created_at').all() as {
      public_key: Buffer;
      note: string;
      created_at: number;
      last_sent_at: number | null;
    }[];
    return rows.map((r) => ({ publicKey: r.public_key.toString('hex'), note: r.note, createdAt: r.created_at, lastSentAt: r.last_sent_at }));
  }

  putOutgoing(publicKey: string, note: string, createdAt: number): void {
    this.#conn
      .prepare('INSERT INTO outgoing_requests (public_key, note, created_at) VALUES (?, ?, ?) ON CONFLICT (public_key) DO UPDATE SET note = excluded.note')
      .run(key(publicKey), note, createdAt);
  }

  markOutgoingSent(publicKey: string, at: number): void {
    this.#conn.prepare('UPDATE outgoing_requests SET last_sent_at = ? WHERE public_key = ?').run(at, key(publicKey));
  }

  deleteOutgoing(publicKey: string): void {
    this.#conn.prepare('DELETE FROM outgoing_requests WHERE public_key = ?').run(key(publicKey));
  }

  blocked(): StoredBlockedKey[] {
    const rows = this.#conn.prepare('SELECT public_key, label, blocked_at FROM blocked_keys ORDER BY blocked_at, public_key').all() as {
      public_key: Buffer;
      label: string;
      blocked_at: number;
    }[];
    return rows.map((r) => ({ publicKey: r.public_key.toString('hex'), userId: encodeUserId(r.public_key), label: r.label, blockedAt: r.blocked_at }));
  }

  isBlocked(publicKey: string): boolean {
    return this.#conn.prepare('SELECT 1 FROM blocked_keys WHERE public_key = ?').pluck().get(key(publicKey)) !== undefined;
  }

  block(publicKey: string, label: string, at: number): void {
    this.#conn.prepare('INSERT INTO blocked_keys (public_key, label, blocked_at) VALUES (?, ?, ?) ON CONFLICT (public_key) DO NOTHING').run(key(publicKey), label, at);
  }

  unblock(publicKey: string): boolean {
    return this.#conn.prepare('DELETE FROM blocked_keys WHERE public_key = ?').run(key(publicKey)).changes > 0;
  }

  /** Several writes as one transaction. */
  batch<T>(fn: () => T): T {
    return this.#conn.transaction(fn);
  }
}

function toIncoming(row: IncomingRow): StoredIncomingRequest {
  return {
    publicKey: row.public_key.toString('hex'),
    userId: encodeUserId(row.public_key),
    card: { displayName: row.display_name, updatedAtMs: row.display_name_updated_at, signature: row.display_name_signature.toString('base64url') },
    note: row.note,
    receivedAt: row.received_at,
    ignored: row.ignored === 1,
  };
}

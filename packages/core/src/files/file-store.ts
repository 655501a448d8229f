import { base64urlToBytes, bytesToBase64url } from '@discordopus/protocol';
import { safeFileName, type FileOffer, type PreviewMimeType } from '@discordopus/protocol/files';
import type { Connection } from '../vault/connection';
import { FileTransferError } from './file-transfer-error';

export type TransferDirection = 'out' | 'in';
export type TransferState = 'offered' | 'accepted' | 'complete' | 'declined' | 'cancelled' | 'failed';
export const ENDED_STATES: readonly TransferState[] = ['complete', 'declined', 'cancelled', 'failed'];

export interface TransferFailure {
  code: string;
  message: string;
}

/** One transfer as the vault holds it (file_transfers, migration 007). */
export interface FileTransferRecord {
  /** 22 base64url characters (the wire form). */
  id: string;
  /** The contact's public key, hex. */
  peer: string;
  direction: TransferDirection;
  /** The name as offered (shown; never used as a path). */
  name: string;
  /** The name this side would save it under (FILE-03). */
  safeName: string;
  size: number;
  mime: string;
  /** base64url SHA-256 of the whole file. */
  sha256: string;
  caption: string | null;
  preview: { mime: PreviewMimeType; bytes: Uint8Array } | null;
  sentAt: number;
  createdAt: number;
  updatedAt: number;
  state: TransferState;
  failure: TransferFailure | null;
  /** Receiver: bytes of the partial file known to be on disk. Sender: bytes the receiver confirmed. */
  bytesDone: number;
  sourcePath: string | null;
  sourceMtimeMs: number | null;
  dir: string | null;
  finalPath: string | null;
}

interface Row {
  id: Buffer;
  peer_key: Buffer;
  direction: TransferDirection;
  name: string;
  size: number;
  mime: string;
  sha256: Buffer;
  caption: string | null;
  preview: Buffer | null;
  preview_mime: PreviewMimeType | null;
  sent_at: number;
  created_at: number;
  updated_at: number;
  state: TransferState;
  failure: string | null;
  failure_message: string | null;
  bytes_done: number;
  source_path: string | null;
  source_mtime_ms: number | null;
  dir: string | null;
  final_path: string | null;
}

function toRecord(r: Row): FileTransferRecord {
  return {
    id: bytesToBase64url(r.id),
    peer: r.peer_key.toString('hex'),
    direction: r.direction,
    name: r.name,
    safeName: safeFileName(r.name),
    size: r.size,
    mime: r.mime,
    sha256: bytesToBase64url(r.sha256),
    caption: r.caption,
    preview: r.preview && r.preview_mime ? { mime: r.preview_mime, bytes: new Uint8Array(r.preview) } : null,
    sentAt: r.sent_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    state: r.state,
    failure: r.failure !== null ? { code: r.failure, message: r.failure_message ?? '' } : null,
    bytesDone: r.bytes_done,
    sourcePath: r.source_path,
    sourceMtimeMs: r.source_mtime_ms,
    dir: r.dir,
    finalPath: r.final_path,
  };
}

const idBytes = (id: string): Buffer => Buffer.from(base64urlToBytes(id));

export interface NewOutgoing {
  id: string;
  peer: string;
  offer: FileOffer;
  sourcePath: string;
  sourceMtimeMs: number;
}

/** The file transfers in the vault. Each change is one statement or one transaction. */
export class FileStore {
  readonly #conn: Connection;
  readonly #now: () => number;

  constructor(options: { connection: Connection; now?: () => number }) {
    this.#conn = options.connection;
    this.#now = options.now ?? Date.now;
  }

  #insert(peer: string, direction: TransferDirection, offer: FileOffer, source: { path: string; mtimeMs: number } | null): void {
    const now = this.#now();
    this.#conn
      .prepare(
        `INSERT INTO file_transfers (id, peer_key, direction, name, size, mime, sha256, caption, preview, preview_mime,
           sent_at, created_at, updated_at, state, source_path, source_mtime_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'offered', ?, ?)`,
      )
      .run(
        idBytes(offer.id),
        Buffer.from(peer, 'hex'),
        direction,
        offer.name,
        offer.size,
        offer.mime,
        Buffer.from(base64urlToBytes(offer.sha256)),
        offer.caption,
        offer.preview ? Buffer.from(base64urlToBytes(offer.preview.data)) : null,
        offer.preview?.mime ?? null,
        offer.sentAt,
        now,
        now,
        source?.path ?? null,
        source?.mtimeMs ?? null,
      );
  }

  addOutgoing(entry: NewOutgoing): FileTransferRecord {
    this.#insert(entry.peer, 'out', entry.offer, { path: entry.sourcePath, mtimeMs: entry.sourceMtimeMs });
    return this.get(entry.offer.id)!;
  }

  /** Store a received offer; a repeated one (the same ID from the same contact) changes nothing. */
  addIncoming(peer: string, offer: FileOffer): { record: FileTransferRecord; isNew: boolean } {
    const existing = this.get(offer.id);
    if (existing) {
      if (existing.peer !== peer || existing.direction !== 'in') throw FileTransferError.protocol('an offer reused another transfer’s ID.');
      return { record: existing, isNew: false };
    }
    this.#insert(peer, 'in', offer, null);
    return { record: this.get(offer.id)!, isNew: true };
  }

  get(id: string): FileTransferRecord | null {
    let key: Buffer;
    try {
      key = idBytes(id);
    } catch {
      return null;
    }
    const row = this.#conn.prepare('SELECT * FROM file_transfers WHERE id = ?').get(key) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first, for a conversation or all; `active` keeps those not ended. */
  list(options: { peer?: string; active?: boolean } = {}): FileTransferRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (options.peer !== undefined) {
      where.push('peer_key = ?');
      args.push(Buffer.from(options.peer, 'hex'));
    }
    if (options.active) where.push(`state IN ('offered', 'accepted')`);
    const sql = `SELECT * FROM file_transfers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`;
    return (this.#conn.prepare(sql).all(...args) as Row[]).map(toRecord);
  }

  /** Transfers with a contact that ended at or after `sinceMs` (by `updated_at`), newest first, at most `limit`. */
  listEndedSince(peer: string, sinceMs: number, limit: number): FileTransferRecord[] {
    const sql = `SELECT * FROM file_transfers WHERE peer_key = ? AND state IN ('complete', 'declined', 'cancelled', 'failed') AND updated_at >= ?
                 ORDER BY updated_at DESC, id LIMIT ?`;
    return (this.#conn.prepare(sql).all(Buffer.from(peer, 'hex'), sinceMs, limit) as Row[]).map(toRecord);
  }

  /**
   * One page of a conversation's transfers in `list` order (newest first), read in SQL: only the
   * rows of the page (and one to tell whether more follow), never the whole conversation. `before`
   * is the last transfer of the previous page; null when it is not one of this peer's.
   */
  page(peer: string, before: string | null, limit: number): { records: FileTransferRecord[]; more: boolean } | null {
    const key = Buffer.from(peer, 'hex');
    let cursor = '';
    const args: unknown[] = [key];
    if (before !== null) {
      let id: Buffer;
      try {
        id = idBytes(before);
      } catch {
        return null;
      }
      const at = this.#conn.prepare('SELECT created_at FROM file_transfers WHERE id = ? AND peer_key = ?').pluck().get(id, key) as number | undefined;
      if (at === undefined) return null;
      cursor = 'AND (created_at < ? OR (created_at = ? AND id > ?))';
      args.push(at, at, id);
    }
    const sql = `SELECT * FROM file_transfers WHERE peer_key = ? ${cursor} ORDER BY created_at DESC, id LIMIT ?`;
    const rows = this.#conn.prepare(sql).all(...args, limit + 1) as Row[];
    return { records: rows.slice(0, limit).map(toRecord), more: rows.length > limit };
  }

  /** Incoming offers from `peer` not answered yet (counted in SQL, FILE-01). */
  pendingIncomingCount(peer: string): number {
    const sql = `SELECT count(*) FROM file_transfers WHERE peer_key = ? AND direction = 'in' AND state = 'offered'`;
    return this.#conn.prepare(sql).pluck().get(Buffer.from(peer, 'hex')) as number;
  }

  accept(id: string, dir: string): void {
    this.#conn.prepare(`UPDATE file_transfers SET state = 'accepted', dir = ?, updated_at = ? WHERE id = ?`).run(dir, this.#now(), idBytes(id));
  }

  markAccepted(id: string): void {
    this.#conn.prepare(`UPDATE file_transfers SET state = 'accepted', updated_at = ? WHERE id = ? AND state = 'offered'`).run(this.#now(), idBytes(id));
  }

  /** How far the partial file is durably on disk (called after its fsync), or what the receiver confirmed. */
  recordProgress(id: string, bytes: number): void {
    this.#conn.prepare('UPDATE file_transfers SET bytes_done = ?, updated_at = ? WHERE id = ?').run(bytes, this.#now(), idBytes(id));
  }

  complete(id: string, finalPath: string | null): void {
    this.#conn
      .prepare(`UPDATE file_transfers SET state = 'complete', bytes_done = size, final_path = ?, updated_at = ? WHERE id = ?`)
      .run(finalPath, this.#now(), idBytes(id));
  }

  end(id: string, state: 'declined' | 'cancelled'): void {
    this.#conn.prepare('UPDATE file_transfers SET state = ?, updated_at = ? WHERE id = ?').run(state, this.#now(), idBytes(id));
  }

  fail(id: string, failure: TransferFailure): void {
    this.#conn
      .prepare(`UPDATE file_transfers SET state = 'failed', failure = ?, failure_message = ?, updated_at = ? WHERE id = ?`)
      .run(failure.code, failure.message, this.#now(), idBytes(id));
  }
}

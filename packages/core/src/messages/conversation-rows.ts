import { randomBytes } from 'node:crypto';
import type { Connection } from '../vault/connection';

/** A `conversations` row's sync points (PROTOCOL.md §7.3), as SQLite returns them. */
export interface ConversationRow {
  id: number;
  own_seq: number;
  peer_acked_seq: number;
  peer_read_seq: number;
  received_seq: number;
  read_seq: number;
  /** This side's numbering epoch (8 bytes). */
  own_epoch: Buffer | null;
  /** The peer's numbering epoch that `received_seq` counts in (null: not told yet). */
  peer_epoch: Buffer | null;
  /** The peer's changes are stored under wire number + base (PROTOCOL.md §7.3). */
  peer_seq_base: number;
  /** 1: `own_epoch` continues a stream the peer may hold without an epoch (migration 008). */
  own_epoch_continued: number;
}

/** The conversation with a contact (hex key), or null before the first message either way. */
export function conversationRow(conn: Connection, key: string): ConversationRow | null {
  const row = conn
    .prepare('SELECT id, own_seq, peer_acked_seq, peer_read_seq, received_seq, read_seq, own_epoch, peer_epoch, peer_seq_base, own_epoch_continued FROM conversations WHERE peer_key = ?')
    .get(Buffer.from(key, 'hex')) as ConversationRow | undefined;
  return row ?? null;
}

/** The conversation with a contact, created if needed (inside the caller's transaction). */
export function ensureConversation(conn: Connection, key: string, now: number): ConversationRow {
  const found = conversationRow(conn, key);
  if (found) return found;
  conn
    .prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_epoch) VALUES (?, ?, ?, ?)')
    .run(Buffer.from(key, 'hex'), now, now, randomBytes(8));
  return conversationRow(conn, key)!;
}

/** Take the next own sequence number (MSG-02: gap-free, in the change's own transaction). */
export function nextSeq(conn: Connection, conversationId: number, now: number): number {
  return conn
    .prepare('UPDATE conversations SET own_seq = own_seq + 1, last_activity_at = ? WHERE id = ? RETURNING own_seq')
    .pluck()
    .get(now, conversationId) as number;
}

/** Queue an own change in the outbox under its sequence number (the frame is built when sent). */
export function queueChange(conn: Connection, conversationId: number, seq: number, kind: 'send' | 'edit' | 'delete', rowid: number, now: number): void {
  conn.prepare('INSERT INTO outbox (conversation_id, seq, kind, message_rowid, at) VALUES (?, ?, ?, ?, ?)').run(conversationId, seq, kind, rowid, now);
}

/**
 * The peer numbers its changes in a new stream (`epoch`, from `from` on): this side stores them
 * after what it holds already. Only when the peer says its epoch `continued` the stream this side
 * holds without an epoch is the numbering kept. Returns the new base.
 */
export function adoptPeerEpoch(conn: Connection, conv: ConversationRow, epoch: Buffer, from: number, continued: boolean): number {
  const keep = conv.peer_epoch === null && continued;
  const base = keep ? conv.peer_seq_base : conv.received_seq - (from - 1);
  conn.prepare('UPDATE conversations SET peer_epoch = ?, peer_seq_base = ? WHERE id = ?').run(epoch, base, conv.id);
  return base;
}

import { base64urlToBytes, bytesToBase64url } from '@discordopus/protocol';
import { messageIdSchema } from '@discordopus/protocol/messages';
import type { Connection } from '../vault/connection';
import { MessageError } from './message-error';
import type { MessageState, Reaction, StoredMessage } from './message-types';

/** A `messages` row as SQLite returns it. */
export interface MessageRow {
  rowid: number;
  id: Buffer;
  conversation_id: number;
  outgoing: number;
  seq: number;
  text: string;
  sent_at: number;
  received_at: number;
  state: MessageState;
  failure: string | null;
  reply_to: Buffer | null;
  edited_at: number | null;
  deleted_at: number | null;
}

export const MESSAGE_COLUMNS =
  'rowid, id, conversation_id, outgoing, seq, text, sent_at, received_at, state, failure, reply_to, edited_at, deleted_at';

const HEX_KEY = /^[0-9a-f]{64}$/;

/** A contact key as every API takes it: 64 hex characters (upper case accepted). */
export function normalizePeer(peer: string): string {
  const key = typeof peer === 'string' ? peer.toLowerCase() : '';
  if (!HEX_KEY.test(key)) throw MessageError.badPeerKey();
  return key;
}

export function messageIdBytes(id: string): Buffer {
  if (!messageIdSchema.safeParse(id).success) throw MessageError.badMessageId();
  return Buffer.from(base64urlToBytes(id));
}

export function messageIdText(bytes: Uint8Array): string {
  return bytesToBase64url(bytes);
}

/** `m0` is the point before the first message (what `firstUnreadCursor` gives when that is unread). */
const CURSOR = /^m(0|[1-9][0-9]{0,15})$/;

export function cursorOf(rowid: number): string {
  return `m${rowid}`;
}

export function rowidOfCursor(cursor: string): number {
  const match = typeof cursor === 'string' ? CURSOR.exec(cursor) : null;
  if (!match) throw MessageError.badCursor();
  return Number(match[1]);
}

/** Rows to messages, with their reactions read in one query. */
export function toMessages(conn: Connection, rows: MessageRow[], peer: string, own: string): StoredMessage[] {
  if (rows.length === 0) return [];
  const reactions = new Map<number, Map<string, string[]>>();
  let lo = rows[0]!.rowid;
  let hi = lo;
  for (const row of rows) {
    lo = Math.min(lo, row.rowid);
    hi = Math.max(hi, row.rowid);
  }
  const wanted = new Set(rows.map((r) => r.rowid));
  const found = conn
    .prepare('SELECT message_rowid, outgoing, emoji FROM reactions WHERE message_rowid BETWEEN ? AND ? ORDER BY message_rowid, emoji, outgoing')
    .all(lo, hi) as { message_rowid: number; outgoing: number; emoji: string }[];
  for (const r of found) {
    if (!wanted.has(r.message_rowid)) continue;
    let byEmoji = reactions.get(r.message_rowid);
    if (!byEmoji) reactions.set(r.message_rowid, (byEmoji = new Map()));
    const by = byEmoji.get(r.emoji) ?? [];
    by.push(r.outgoing === 1 ? own : peer);
    byEmoji.set(r.emoji, by);
  }
  return rows.map((row) => {
    const byEmoji = reactions.get(row.rowid);
    const list: Reaction[] = byEmoji ? [...byEmoji].map(([emoji, by]) => ({ emoji, by: by.sort() })) : [];
    return {
      id: messageIdText(row.id),
      peer,
      author: row.outgoing === 1 ? own : peer,
      outgoing: row.outgoing === 1,
      seq: row.seq,
      text: row.text,
      sentAt: row.sent_at,
      receivedAt: row.received_at,
      state: row.state,
      failure: row.failure,
      replyTo: row.reply_to ? messageIdText(row.reply_to) : null,
      editedAt: row.edited_at,
      deleted: row.deleted_at !== null,
      reactions: list,
      cursor: cursorOf(row.rowid),
    };
  });
}

/**
 * An FTS5 query from what the user typed: every word must occur (as a word prefix); quotes are
 * doubled so no FTS syntax gets through. Null when there is no word to look for.
 */
export function ftsQuery(input: string): string | null {
  const words = input
    .normalize('NFC')
    .split(/[^\p{L}\p{N}\p{M}_]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
}

/** A tombstone: the text is wiped (and so its search entry), reactions go, the row stays. */
export function wipe(conn: Connection, rowid: number, at: number): void {
  conn.prepare("UPDATE messages SET text = '', deleted_at = ? WHERE rowid = ?").run(at, rowid);
  conn.prepare('DELETE FROM reactions WHERE message_rowid = ?').run(rowid);
}

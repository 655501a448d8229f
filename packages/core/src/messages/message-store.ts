import { randomBytes } from 'node:crypto';
import { base64urlToBytes, bytesToBase64url } from '@discordopus/protocol';
import { emojiSchema, messageTextProblem, type SequencedFrame } from '@discordopus/protocol/messages';
import type { Connection } from '../vault/connection';
import { applyIncoming, type IncomingResult, REACTION_LIMITS, reactionLimitReached } from './apply-incoming';
import { adoptPeerEpoch, conversationRow, type ConversationRow, ensureConversation, nextSeq, queueChange } from './conversation-rows';
import { MessageError } from './message-error';
import { historyPage, searchAllMessages, searchMessages } from './message-queries';
import { cursorOf, MESSAGE_COLUMNS, messageIdBytes, normalizePeer, toMessages, type MessageRow, wipe } from './message-rows';
import type { ConversationSummary, HistoryPage, StoredMessage, SyncPoints } from './message-types';
import { outboxFrames } from './outbox-frames';
import { type PointChange, SyncPointWrites } from './sync-point-writes';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './message-queries';

export type { PointChange } from './sync-point-writes';

/**
 * Conversations and messages in the vault (MSG-01..05). Every change of one's own (send, edit,
 * delete, react) is one transaction that takes the next sequence number and queues the change
 * in the outbox: it is on disk before anything goes on the wire (MSG-02). History is read in
 * pages by cursor, never as a whole list.
 */
export class MessageStore {
  readonly #conn: Connection;
  readonly #own: string;
  readonly #ownWire: string;
  readonly #now: () => number;
  readonly #randomId: () => Buffer;
  readonly #sync: SyncPointWrites;

  constructor(options: { connection: Connection; ownPublicKey: Uint8Array; now?: () => number; randomId?: () => Buffer }) {
    this.#conn = options.connection;
    this.#own = Buffer.from(options.ownPublicKey).toString('hex');
    this.#ownWire = bytesToBase64url(options.ownPublicKey);
    this.#now = options.now ?? Date.now;
    this.#randomId = options.randomId ?? (() => randomBytes(16));
    this.#sync = new SyncPointWrites(options.connection);
  }

  /** This side's public key (hex). */
  get ownKey(): string {
    return this.#own;
  }

  // ---- own changes (each one transaction, committed before it can be sent) ----

  /** Queue a new message. Throws BAD_MESSAGE_TEXT (after NFC: blank, NUL, > 4,000 characters), MESSAGE_NOT_FOUND for a bad reply-to. */
  send(peer: string, text: string, options: { replyTo?: string | null } = {}): StoredMessage {
    return this.sendMany(peer, [text], options)[0]!;
  }

  /**
   * Messages to one or more conversations in ONE transaction (group commit, see GroupCommit):
   * all or none; returned in the order given.
   */
  sendBatch(items: readonly { peer: string; text: string; replyTo?: string | null }[]): StoredMessage[] {
    return this.#conn.transaction(() => items.map((item) => this.sendMany(item.peer, [item.text], { replyTo: item.replyTo ?? null })[0]!));
  }

  /** Several messages in one transaction (a bot or an import): all or none. */
  sendMany(peer: string, texts: readonly string[], options: { replyTo?: string | null } = {}): StoredMessage[] {
    const key = normalizePeer(peer);
    const normalized = texts.map((raw) => checkedText(raw));
    const replyTo = options.replyTo ? messageIdBytes(options.replyTo) : null;
    const now = this.#now();
    const rowids = this.#conn.transaction(() => {
      const conv = this.#ensureConversation(key, now);
      if (replyTo && !this.#rowById(conv.id, replyTo)) throw MessageError.notFound();
      let seq = conv.own_seq;
      const ids: number[] = [];
      for (const text of normalized) {
        seq += 1;
        const inserted = this.#conn
          .prepare(
            `INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state, reply_to)
             VALUES (?, ?, 1, ?, ?, ?, ?, 'queued', ?)`,
          )
          .run(this.#randomId(), conv.id, seq, text, now, now, replyTo);
        const rowid = Number(inserted.lastInsertRowid);
        this.#queue(conv.id, seq, 'send', rowid, now);
        ids.push(rowid);
      }
      this.#conn.prepare('UPDATE conversations SET own_seq = ?, last_activity_at = ? WHERE id = ?').run(seq, now, conv.id);
      return ids;
    });
    return this.#byRowids(key, rowids);
  }

  /** MSG-03: own messages only. Throws MESSAGE_NOT_FOUND, NOT_YOUR_MESSAGE, MESSAGE_DELETED, BAD_MESSAGE_TEXT. */
  edit(peer: string, id: string, text: string): StoredMessage {
    const key = normalizePeer(peer);
    const normalized = checkedText(text);
    return this.#ownChange(key, id, (conv, row, seq, now) => {
      this.#conn.prepare('UPDATE messages SET text = ?, edited_at = ? WHERE rowid = ?').run(normalized, now, row.rowid);
      this.#queue(conv, seq, 'edit', row.rowid, now);
    });
  }

  /** MSG-03: own messages only; the text is wiped and a tombstone stays. */
  delete(peer: string, id: string): StoredMessage {
    const key = normalizePeer(peer);
    return this.#ownChange(key, id, (conv, row, seq, now) => {
      wipe(this.#conn, row.rowid, now);
      this.#queue(conv, seq, 'delete', row.rowid, now);
    });
  }

  /** MSG-03: toggle this side's `emoji` on any message of the conversation. */
  toggleReaction(peer: string, id: string, emoji: string): StoredMessage {
    const key = normalizePeer(peer);
    if (!emojiSchema.safeParse(emoji).success) throw MessageError.badReaction();
    const idBytes = messageIdBytes(id);
    const now = this.#now();
    const rowid = this.#conn.transaction(() => {
      const conv = this.#ensureConversation(key, now);
      const row = this.#rowById(conv.id, idBytes);
      if (!row) throw MessageError.notFound();
      if (row.deleted_at !== null) throw MessageError.deleted();
      const had = this.#conn
        .prepare('DELETE FROM reactions WHERE message_rowid = ? AND outgoing = 1 AND emoji = ?')
        .run(row.rowid, emoji).changes > 0;
      if (!had) {
        if (reactionLimitReached(this.#conn, row.rowid, 1)) throw MessageError.tooManyReactions(REACTION_LIMITS.perUser, REACTION_LIMITS.perMessage);
        this.#conn.prepare('INSERT INTO reactions VALUES (?, 1, ?, ?)').run(row.rowid, emoji, now);
      }
      const seq = this.#nextSeq(conv.id, now);
      this.#conn
        .prepare('INSERT INTO outbox (conversation_id, seq, kind, message_rowid, emoji, reaction_on, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(conv.id, seq, 'react', row.rowid, emoji, had ? 0 : 1, now);
      return row.rowid;
    });
    return this.#byRowid(key, rowid)!;
  }

  /** The user has seen the peer's messages up to `seq` (clamped to what arrived). Returns the new read point, or null if unchanged. */
  markRead(peer: string, seq: number): number | null {
    const key = normalizePeer(peer);
    const conv = this.#conversation(key);
    if (!conv || !Number.isSafeInteger(seq)) return null;
    const upTo = Math.min(seq, conv.received_seq);
    if (upTo <= conv.read_seq) return null;
    this.#conn.transaction(() => {
      this.#conn.prepare('UPDATE conversations SET read_seq = ? WHERE id = ?').run(upTo, conv.id);
      this.#conn
        .prepare("UPDATE messages SET state = 'read' WHERE conversation_id = ? AND outgoing = 0 AND seq > ? AND seq <= ?")
        .run(conv.id, conv.read_seq, upTo);
    });
    return upTo;
  }

  setMuted(peer: string, muted: boolean): void {
    const key = normalizePeer(peer);
    this.#conn.transaction(() => {
      const conv = this.#ensureConversation(key, this.#now());
      this.#conn.prepare('UPDATE conversations SET muted = ? WHERE id = ?').run(muted ? 1 : 0, conv.id);
    });
  }

  // ---- reading ----

  get(peer: string, id: string): StoredMessage | null {
    const key = normalizePeer(peer);
    const conv = this.#conversation(key);
    const row = conv ? this.#rowById(conv.id, messageIdBytes(id)) : undefined;
    return row ? toMessages(this.#conn, [row], key, this.#own)[0]! : null;
  }

  /**
   * One page of history, oldest first: the newest page by default, older than `before`, or
   * newer than `after` (cursors come from messages and pages).
   */
  history(peer: string, options: { before?: string; after?: string; limit?: number } = {}): HistoryPage {
    const key = normalizePeer(peer);
    const conv = this.#conversation(key);
    if (!conv) return { messages: [], olderCursor: null, newerCursor: null };
    return historyPage(this.#conn, { conversationId: conv.id, peer: key, own: this.#own }, options);
  }

  /** Cursor just before the first unread message (pass as `after`), or null when all is read. */
  firstUnreadCursor(peer: string): string | null {
    const key = normalizePeer(peer);
    const conv = this.#conversation(key);
    if (!conv) return null;
    const rowid = this.#conn
      .prepare('SELECT rowid FROM messages WHERE conversation_id = ? AND outgoing = 0 AND seq > ? ORDER BY seq LIMIT 1')
      .pluck()
      .get(conv.id, conv.read_seq) as number | undefined;
    return rowid === undefined ? null : cursorOf(rowid - 1);
  }

  /** MSG-04: the peer's messages not yet read (tombstones do not count). */
  unreadCount(peer: string): number {
    const conv = this.#conversation(normalizePeer(peer));
    if (!conv) return 0;
    return this.#conn
      .prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND outgoing = 0 AND seq > ? AND deleted_at IS NULL')
      .pluck()
      .get(conv.id, conv.read_seq) as number;
  }

  /** Contacts (hex keys) with own changes they have not acknowledged: worth opening a link to. */
  peersWithPending(): string[] {
    const rows = this.#conn.prepare('SELECT peer_key FROM conversations WHERE own_seq > peer_acked_seq ORDER BY id').pluck().all() as Buffer[];
    return rows.map((key) => key.toString('hex'));
  }

  /** Every conversation with its unread count, most recent first. */
  conversations(): ConversationSummary[] {
    const rows = this.#conn
      .prepare(
        `SELECT c.peer_key, c.muted, c.last_activity_at,
           (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.outgoing = 0 AND m.seq > c.read_seq AND m.deleted_at IS NULL) AS unread
         FROM conversations c ORDER BY c.last_activity_at DESC, c.id DESC`,
      )
      .all() as { peer_key: Buffer; muted: number; last_activity_at: number; unread: number }[];
    return rows.map((r) => ({ peer: r.peer_key.toString('hex'), unread: r.unread, muted: r.muted === 1, lastActivityAt: r.last_activity_at }));
  }

  /** MSG-05: messages of one conversation containing every word typed (as word prefixes), newest first. */
  search(peer: string, query: string, options: { limit?: number } = {}): StoredMessage[] {
    const key = normalizePeer(peer);
    const conv = this.#conversation(key);
    if (!conv) return [];
    return searchMessages(this.#conn, { conversationId: conv.id, peer: key, own: this.#own }, query, options.limit);
  }

  /** MSG-05: the same over every conversation, newest first. */
  searchAll(query: string, options: { limit?: number } = {}): StoredMessage[] {
    return searchAllMessages(this.#conn, this.#own, query, options.limit);
  }

  // ---- the sync engine's side (PROTOCOL.md §7.3) ----

  syncPoints(peer: string): SyncPoints {
    const conv = this.#conversation(normalizePeer(peer));
    if (!conv) return { ownSeq: 0, peerAcked: 0, peerRead: 0, received: 0, read: 0, ownEpoch: null, ownEpochContinued: false, peerEpoch: null, peerSeqBase: 0 };
    return {
      ownSeq: conv.own_seq,
      peerAcked: conv.peer_acked_seq,
      peerRead: conv.peer_read_seq,
      received: conv.received_seq,
      read: conv.read_seq,
      ownEpoch: conv.own_epoch ? bytesToBase64url(conv.own_epoch) : null,
      ownEpochContinued: conv.own_epoch_continued === 1,
      peerEpoch: conv.peer_epoch ? bytesToBase64url(conv.peer_epoch) : null,
      peerSeqBase: conv.peer_seq_base,
    };
  }

  /** The peer's resume names its numbering stream: a new one is stored after what is held (§7.3). */
  adoptPeerEpoch(peer: string, epoch: string, from: number, continued = false): void {
    const key = normalizePeer(peer);
    this.#conn.transaction(() => adoptPeerEpoch(this.#conn, this.#ensureConversation(key, this.#now()), Buffer.from(base64urlToBytes(epoch)), from, continued));
  }

  /** Own changes after `afterSeq`, oldest first, as frames ready to send. */
  pendingFrames(peer: string, afterSeq: number, limit: number): SequencedFrame[] {
    const conv = this.#conversation(normalizePeer(peer));
    if (!conv) return [];
    return outboxFrames(this.#conn, conv.id, this.#ownWire, afterSeq, limit);
  }

  /** Own messages `fromSeq`..`toSeq` left this side (queued → sent); see SyncPointWrites. */
  markSent(peer: string, fromSeq: number, toSeq: number): void {
    const conv = this.#conversation(normalizePeer(peer));
    if (conv) this.#sync.markSent(conv, fromSeq, toSeq);
  }

  /** The peer stored our changes up to `upTo` (cumulative); 'beyond': more than we ever sent. */
  applyAck(peer: string, upTo: number): PointChange {
    return this.#sync.applyAck(this.#conversation(normalizePeer(peer)), upTo);
  }

  /** The peer has read our messages up to `upTo` (reading implies storing). */
  applyPeerRead(peer: string, upTo: number): PointChange {
    return this.#sync.applyPeerRead(this.#conversation(normalizePeer(peer)), upTo);
  }

  /** Store the peer's sequenced changes, in one transaction (see apply-incoming.ts). */
  applyIncoming(peer: string, peerWire: string, frames: readonly SequencedFrame[]): IncomingResult & { messages: Map<number, StoredMessage> } {
    const key = normalizePeer(peer);
    const now = this.#now();
    const result = this.#conn.transaction(() => {
      const conv = this.#ensureConversation(key, now);
      return applyIncoming(this.#conn, { conversationId: conv.id, received: conv.received_seq, peerWire, now }, frames);
    });
    const rowids = [...new Set(result.changed.map((c) => c.rowid))];
    const messages = new Map<number, StoredMessage>();
    this.#byRowids(key, rowids).forEach((message, i) => messages.set(rowids[i]!, message));
    return { ...result, messages };
  }

  // ---- internals ----

  #ownChange(key: string, id: string, change: (conv: number, row: MessageRow, seq: number, now: number) => void): StoredMessage {
    const idBytes = messageIdBytes(id);
    const now = this.#now();
    const rowid = this.#conn.transaction(() => {
      const conv = this.#ensureConversation(key, now);
      const row = this.#rowById(conv.id, idBytes);
      if (!row) throw MessageError.notFound();
      if (row.outgoing !== 1) throw MessageError.notYours();
      if (row.deleted_at !== null) throw MessageError.deleted();
      change(conv.id, row, this.#nextSeq(conv.id, now), now);
      return row.rowid;
    });
    return this.#byRowid(key, rowid)!;
  }

  #nextSeq(conversationId: number, now: number): number {
    return nextSeq(this.#conn, conversationId, now);
  }

  #queue(conversationId: number, seq: number, kind: 'send' | 'edit' | 'delete', rowid: number, now: number): void {
    queueChange(this.#conn, conversationId, seq, kind, rowid, now);
  }

  #conversation(key: string): ConversationRow | null {
    return conversationRow(this.#conn, key);
  }

  #ensureConversation(key: string, now: number): ConversationRow {
    return ensureConversation(this.#conn, key, now);
  }

  #rowById(conversationId: number, id: Buffer): MessageRow | undefined {
    return this.#conn
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ? AND conversation_id = ?`)
      .get(id, conversationId) as MessageRow | undefined;
  }

  /** Many messages by rowid, in the order given, with one query for their reactions. */
  #byRowids(key: string, rowids: readonly number[]): StoredMessage[] {
    if (rowids.length === 0) return [];
    const sorted = [...rowids].sort((a, b) => a - b);
    // One range query when the rows are close together (a burst); else one query each.
    if (sorted.at(-1)! - sorted[0]! >= rowids.length * 4) return rowids.map((rowid) => this.#byRowid(key, rowid)!);
    const rows = this.#conn
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE rowid BETWEEN ? AND ? ORDER BY rowid`)
      .all(sorted[0], sorted.at(-1)) as MessageRow[];
    const wanted = new Set(rowids);
    const byRowid = new Map(toMessages(this.#conn, rows.filter((r) => wanted.has(r.rowid)), key, this.#own).map((m, i, all) => [all[i]!.cursor, m]));
    return rowids.map((rowid) => byRowid.get(cursorOf(rowid))!);
  }

  #byRowid(key: string, rowid: number): StoredMessage | null {
    const row = this.#conn.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE rowid = ?`).get(rowid) as MessageRow | undefined;
    return row ? toMessages(this.#conn, [row], key, this.#own)[0]! : null;
  }
}

/** NFC first (the user typed it), then the rules of MESSAGE_LIMITS; refused before storing. */
function checkedText(raw: string): string {
  if (typeof raw !== 'string') throw MessageError.badText('A message is text.');
  const text = raw.normalize('NFC');
  const problem = messageTextProblem(text);
  if (problem !== null) throw MessageError.badText(problem);
  return text;
}

import type { Connection } from '../vault/connection';
import { ftsQuery, MESSAGE_COLUMNS, rowidOfCursor, toMessages, type MessageRow } from './message-rows';
import type { HistoryPage, StoredMessage } from './message-types';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

interface Scope {
  conversationId: number;
  /** The contact's key (hex). */
  peer: string;
  /** This side's key (hex). */
  own: string;
}

function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.trunc(limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
}

/**
 * One page of history, oldest first: the newest page by default, older than `before`, or
 * newer than `after`. Both walk the conversation's index from the cursor: the cost does not
 * grow with the length of the conversation.
 */
export function historyPage(conn: Connection, scope: Scope, options: { before?: string; after?: string; limit?: number }): HistoryPage {
  const limit = pageSize(options.limit);
  if (options.after !== undefined) {
    const rows = conn
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`)
      .all(scope.conversationId, rowidOfCursor(options.after), limit + 1) as MessageRow[];
    const more = rows.length > limit;
    const page = toMessages(conn, rows.slice(0, limit), scope.peer, scope.own);
    return { messages: page, olderCursor: page[0]?.cursor ?? null, newerCursor: more ? page.at(-1)!.cursor : null };
  }
  const before = options.before === undefined ? Number.MAX_SAFE_INTEGER : rowidOfCursor(options.before);
  const rows = conn
    .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND rowid < ? ORDER BY rowid DESC LIMIT ?`)
    .all(scope.conversationId, before, limit + 1) as MessageRow[];
  const more = rows.length > limit;
  const page = toMessages(conn, rows.slice(0, limit).reverse(), scope.peer, scope.own);
  return {
    messages: page,
    olderCursor: more ? page[0]!.cursor : null,
    newerCursor: options.before !== undefined && page.length > 0 ? page.at(-1)!.cursor : null,
  };
}

/** MSG-05: FTS5 over the conversation's texts, newest first (the index walks rowids downwards). */
export function searchMessages(conn: Connection, scope: Scope, query: string, limit: number | undefined): StoredMessage[] {
  const match = ftsQuery(query);
  if (match === null) return [];
  const rows = conn
    .prepare(
      `SELECT ${MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}
       FROM messages_fts f JOIN messages m ON m.rowid = f.rowid
       WHERE messages_fts MATCH ? AND m.conversation_id = ? ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(match, scope.conversationId, pageSize(limit)) as MessageRow[];
  return toMessages(conn, rows, scope.peer, scope.own);
}

/** MSG-05: FTS5 over every conversation, newest first; each message names its conversation's contact. */
export function searchAllMessages(conn: Connection, own: string, query: string, limit: number | undefined): StoredMessage[] {
  const match = ftsQuery(query);
  if (match === null) return [];
  const rows = conn
    .prepare(
      `SELECT ${MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}, c.peer_key
       FROM messages_fts f JOIN messages m ON m.rowid = f.rowid JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(match, pageSize(limit)) as (MessageRow & { peer_key: Buffer })[];
  return rows.map((row) => toMessages(conn, [row], row.peer_key.toString('hex'), own)[0]!);
}

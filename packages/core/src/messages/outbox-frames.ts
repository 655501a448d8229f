import type { SequencedFrame } from '@discordopus/protocol/messages';
import type { Connection } from '../vault/connection';
import { messageIdText } from './message-rows';

interface OutboxRow {
  seq: number;
  kind: 'send' | 'edit' | 'delete' | 'react';
  emoji: string | null;
  reaction_on: number | null;
  at: number;
  id: Buffer;
  text: string;
  sent_at: number;
  reply_to: Buffer | null;
  edited_at: number | null;
  deleted_at: number | null;
}

/**
 * The frames for this side's unacknowledged changes after `afterSeq`, oldest first. A frame is
 * built from the message as it is now: a send carries the current text (or the tombstone), an
 * edit of a message deleted since goes out as a delete, so no wiped text ever leaves.
 */
export function outboxFrames(conn: Connection, conversationId: number, author: string, afterSeq: number, limit: number): SequencedFrame[] {
  const rows = conn
    .prepare(
      `SELECT o.seq, o.kind, o.emoji, o.reaction_on, o.at, m.id, m.text, m.sent_at, m.reply_to, m.edited_at, m.deleted_at
       FROM outbox o JOIN messages m ON m.rowid = o.message_rowid
       WHERE o.conversation_id = ? AND o.seq > ? ORDER BY o.seq LIMIT ?`,
    )
    .all(conversationId, afterSeq, limit) as OutboxRow[];
  return rows.map((row): SequencedFrame => {
    const common = { seq: row.seq, author, id: messageIdText(row.id) };
    switch (row.kind) {
      case 'send':
        return {
          type: 'message.send',
          ...common,
          sentAt: row.sent_at,
          text: row.text,
          replyTo: row.reply_to ? messageIdText(row.reply_to) : null,
          editedAt: row.edited_at,
          deleted: row.deleted_at !== null,
        };
      case 'edit':
        if (row.deleted_at !== null) return { type: 'message.delete', ...common, deletedAt: row.deleted_at };
        return { type: 'message.edit', ...common, text: row.text, editedAt: row.edited_at ?? row.at };
      case 'delete':
        return { type: 'message.delete', ...common, deletedAt: row.deleted_at ?? row.at };
      case 'react':
        return { type: 'message.react', ...common, emoji: row.emoji!, on: row.reaction_on === 1, at: row.at };
      default: {
        const never: never = row.kind;
        throw new Error(`unknown outbox kind ${String(never)}`);
      }
    }
  });
}

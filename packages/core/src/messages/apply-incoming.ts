import type { SequencedFrame } from '@discordopus/protocol/messages';
import type { Connection } from '../vault/connection';
import { MESSAGE_COLUMNS, messageIdBytes, wipe, type MessageRow } from './message-rows';

/** Why a frame from a peer was refused (counted by the service; PROTOCOL.md §7.5). */
export type RefusalReason =
  | 'oversized'
  | 'malformed'
  | 'unknown-type'
  | 'out-of-sequence'
  | 'forged-author'
  | 'not-author'
  | 'unknown-target'
  | 'duplicate-id'
  | 'duplicate-conflict'
  | 'ack-beyond'
  | 'receipt-beyond'
  | 'resume-beyond'
  | 'too-many-reactions'
  | 'epoch-flip';

/** Distinct reactions one user may put on one message, and all users together (PROTOCOL.md §7.5). */
export const REACTION_LIMITS = { perUser: 20, perMessage: 30 } as const;

/** Would one more distinct reaction by this side (`outgoing`) exceed REACTION_LIMITS? */
export function reactionLimitReached(conn: Connection, messageRowid: number, outgoing: 0 | 1): boolean {
  const counts = conn
    .prepare('SELECT count(*) AS total, coalesce(sum(outgoing = ?), 0) AS mine FROM reactions WHERE message_rowid = ?')
    .get(outgoing, messageRowid) as { total: number; mine: number };
  return counts.mine >= REACTION_LIMITS.perUser || counts.total >= REACTION_LIMITS.perMessage;
}

export interface IncomingResult {
  /** The new contiguous receive point (the cumulative ack to send). */
  received: number;
  /** Messages added or changed, in order. */
  changed: { kind: 'added' | 'updated'; rowid: number }[];
  refused: { reason: RefusalReason; type: SequencedFrame['type'] }[];
  /** Frames already stored (resends): to be acknowledged again, not shown twice. */
  duplicates: number;
  /** A frame came after a gap: something was lost, the sender should resend. */
  gap: boolean;
}

/**
 * Apply the peer's sequenced changes in one transaction (the caller's), strictly in sequence
 * order (MSG-02):
 * - a frame whose author is not the peer is forged: refused, its number not taken;
 * - seq ≤ the receive point is a resend: recognised by ID and sequence, never stored twice;
 * - seq beyond the receive point + 1 is out of sequence: refused (a frame before it was lost);
 * - the next seq is taken even when its change is refused (an edit of someone else's message,
 *   an unknown target), so one bad change cannot block the conversation.
 */
export function applyIncoming(
  conn: Connection,
  ctx: { conversationId: number; received: number; peerWire: string; now: number },
  frames: readonly SequencedFrame[],
): IncomingResult {
  let received = ctx.received;
  const result: IncomingResult = { received, changed: [], refused: [], duplicates: 0, gap: false };
  const refuse = (reason: RefusalReason, frame: SequencedFrame): void => {
    result.refused.push({ reason, type: frame.type });
  };
  const target = (frame: SequencedFrame): MessageRow | undefined =>
    conn
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ? AND conversation_id = ?`)
      .get(messageIdBytes(frame.id), ctx.conversationId) as MessageRow | undefined;

  for (const frame of frames) {
    if (frame.author !== ctx.peerWire) {
      refuse('forged-author', frame);
      continue;
    }
    if (frame.seq <= received) {
      if (frame.type === 'message.send' && isConflict(conn, ctx.conversationId, frame)) refuse('duplicate-conflict', frame);
      else result.duplicates += 1;
      continue;
    }
    if (frame.seq > received + 1) {
      refuse('out-of-sequence', frame);
      result.gap = true;
      continue;
    }
    received = frame.seq;
    switch (frame.type) {
      case 'message.send': {
        const inserted = conn
          .prepare(
            `INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state, reply_to, edited_at, deleted_at)
             VALUES (?, ?, 0, ?, ?, ?, ?, 'delivered', ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(
            messageIdBytes(frame.id),
            ctx.conversationId,
            frame.seq,
            frame.text,
            frame.sentAt,
            ctx.now,
            frame.replyTo ? messageIdBytes(frame.replyTo) : null,
            frame.editedAt,
            frame.deleted ? (frame.editedAt ?? frame.sentAt) : null,
          );
        if (inserted.changes === 0) refuse('duplicate-id', frame);
        else result.changed.push({ kind: 'added', rowid: Number(inserted.lastInsertRowid) });
        break;
      }
      case 'message.edit':
      case 'message.delete': {
        const row = target(frame);
        if (!row) refuse('unknown-target', frame);
        else if (row.outgoing !== 0) refuse('not-author', frame);
        else if (row.deleted_at !== null) break; // already a tombstone: nothing left to change
        else {
          if (frame.type === 'message.edit') {
            conn.prepare('UPDATE messages SET text = ?, edited_at = ? WHERE rowid = ?').run(frame.text, frame.editedAt, row.rowid);
          } else {
            wipe(conn, row.rowid, frame.deletedAt);
          }
          result.changed.push({ kind: 'updated', rowid: row.rowid });
        }
        break;
      }
      case 'message.react': {
        const row = target(frame);
        if (!row) refuse('unknown-target', frame);
        else if (row.deleted_at !== null) break; // reacted while the author deleted it: the delete wins
        else if (frame.on && !hasReaction(conn, row.rowid, frame.emoji) && reactionLimitReached(conn, row.rowid, 0)) {
          refuse('too-many-reactions', frame); // the number is taken: the conversation goes on
        } else {
          const changes = frame.on
            ? conn.prepare('INSERT INTO reactions VALUES (?, 0, ?, ?) ON CONFLICT DO NOTHING').run(row.rowid, frame.emoji, frame.at).changes
            : conn.prepare('DELETE FROM reactions WHERE message_rowid = ? AND outgoing = 0 AND emoji = ?').run(row.rowid, frame.emoji).changes;
          if (changes > 0) result.changed.push({ kind: 'updated', rowid: row.rowid });
        }
        break;
      }
      default: {
        const never: never = frame;
        throw new Error(`unknown sequenced frame ${String((never as { type: string }).type)}`);
      }
    }
  }
  if (received !== ctx.received) {
    conn.prepare('UPDATE conversations SET received_seq = ?, last_activity_at = ? WHERE id = ?').run(received, ctx.now, ctx.conversationId);
  }
  result.received = received;
  return result;
}

/** A resend must match what is stored under its sequence number; anything else is a conflict. */
function isConflict(conn: Connection, conversationId: number, frame: SequencedFrame & { type: 'message.send' }): boolean {
  const stored = conn
    .prepare('SELECT id FROM messages WHERE conversation_id = ? AND outgoing = 0 AND seq = ?')
    .pluck()
    .get(conversationId, frame.seq) as Buffer | undefined;
  return stored !== undefined && !stored.equals(messageIdBytes(frame.id));
}

function hasReaction(conn: Connection, messageRowid: number, emoji: string): boolean {
  return conn.prepare('SELECT 1 FROM reactions WHERE message_rowid = ? AND outgoing = 0 AND emoji = ?').get(messageRowid, emoji) !== undefined;
}

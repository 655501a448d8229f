import type { Connection } from '../vault/connection';
import type { ConversationRow } from './conversation-rows';

/** What a change of the sync points did, for the events the service emits. */
export type PointChange = 'advanced' | 'stale' | 'beyond';

/**
 * The writes of the sync engine (PROTOCOL.md §7.3) that the protocol repeats if they are lost:
 * the `sent` mark, acks and read receipts. Each runs with synchronous=NORMAL for its one commit:
 * committed to the WAL without an fsync; the next ordinary commit makes it durable. Never used
 * for a change of content or for what is acknowledged to the peer.
 */
export class SyncPointWrites {
  readonly #conn: Connection;

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  /**
   * Own messages `fromSeq`..`toSeq` left this side (queued → sent). Losing the mark in a power
   * cut only shows the message as queued again, and it is resent anyway until acknowledged.
   */
  markSent(conv: ConversationRow, fromSeq: number, toSeq: number): void {
    if (toSeq < fromSeq) return;
    this.#relaxed(() =>
      this.#conn
        .prepare("UPDATE messages SET state = 'sent' WHERE conversation_id = ? AND outgoing = 1 AND seq >= ? AND seq <= ? AND state = 'queued'")
        .run(conv.id, fromSeq, toSeq),
    );
  }

  /**
   * The peer stored our changes up to `upTo` (cumulative). 'beyond' means it claims more than we
   * ever sent. If a power cut loses it, the outbox still holds those changes, they are resent,
   * recognised as duplicates and acknowledged again (and the peer's resume point repeats it).
   */
  applyAck(conv: ConversationRow | null, upTo: number): PointChange {
    if (!conv) return upTo === 0 ? 'stale' : 'beyond';
    if (upTo > conv.own_seq) return 'beyond';
    if (upTo <= conv.peer_acked_seq) return 'stale';
    this.#relaxed(() => this.#conn.transaction(() => this.#ack(conv, upTo)));
    return 'advanced';
  }

  /** The peer has read our messages up to `upTo` (reading implies storing). */
  applyPeerRead(conv: ConversationRow | null, upTo: number): PointChange {
    if (!conv) return upTo === 0 ? 'stale' : 'beyond';
    if (upTo > conv.own_seq) return 'beyond';
    if (upTo <= conv.peer_read_seq) return 'stale';
    this.#relaxed(() =>
      this.#conn.transaction(() => {
        if (upTo > conv.peer_acked_seq) this.#ack(conv, upTo);
        this.#conn.prepare('UPDATE conversations SET peer_read_seq = ? WHERE id = ?').run(upTo, conv.id);
        this.#conn
          .prepare("UPDATE messages SET state = 'read' WHERE conversation_id = ? AND outgoing = 1 AND seq > ? AND seq <= ? AND state != 'failed'")
          .run(conv.id, conv.peer_read_seq, upTo);
      }),
    );
    return 'advanced';
  }

  #ack(conv: ConversationRow, upTo: number): void {
    this.#conn.prepare('UPDATE conversations SET peer_acked_seq = ? WHERE id = ?').run(upTo, conv.id);
    this.#conn
      .prepare("UPDATE messages SET state = 'delivered' WHERE conversation_id = ? AND outgoing = 1 AND seq > ? AND seq <= ? AND state IN ('queued', 'sent')")
      .run(conv.id, conv.peer_acked_seq, upTo);
    this.#conn.prepare('DELETE FROM outbox WHERE conversation_id = ? AND seq <= ?').run(conv.id, upTo);
  }

  #relaxed<T>(fn: () => T): T {
    const db = this.#conn.db;
    db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      db.pragma('synchronous = FULL');
    }
  }
}

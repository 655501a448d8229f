import { base64urlToBytes, bytesToBase64url } from '@discordopus/protocol';
import { CALL_LOG_LIMITS, CALL_OUTCOME_RANK, type CallLogEntry, type StoredCallLogEntry } from '@discordopus/protocol/calls';
import type { Connection } from '../vault/connection';
import { CallLogError } from './call-log-error';

interface Row {
  call_id: Buffer;
  direction: 'out' | 'in';
  outcome: StoredCallLogEntry['outcome'];
  duration_ms: number | null;
  started_at: number;
  ended_at: number;
  seen: number;
}

function toEntry(r: Row): StoredCallLogEntry {
  return {
    callId: bytesToBase64url(r.call_id),
    direction: r.direction === 'out' ? 'outgoing' : 'incoming',
    outcome: r.outcome,
    durationMs: r.duration_ms,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    seen: r.seen === 1,
  };
}

const COLUMNS = 'call_id, direction, outcome, duration_ms, started_at, ended_at, seen';

/**
 * The vault's call log (VOICE-04, migration 009): the calls that ended with each contact, as this
 * side saw them. Keys are hex; entries are checked by the bridge schema before they get here
 * (the table's CHECKs hold the same rules).
 */
export class CallLogStore {
  readonly #conn: Connection;
  readonly #maxPerContact: number;

  constructor(options: { connection: Connection; /** Tests lower it. */ maxEntriesPerContact?: number }) {
    this.#conn = options.connection;
    this.#maxPerContact = options.maxEntriesPerContact ?? CALL_LOG_LIMITS.maxEntriesPerContact;
  }

  /**
   * Records a finished call; a missed call is stored unseen. The same callId again (another window
   * of this profile recorded it too) replaces the stored entry only with a better outcome
   * (CALL_OUTCOME_RANK: completed > declined > … > missed) in the same direction, and never marks
   * a seen entry unseen; otherwise it changes nothing. `added`: the stored entry changed;
   * `previous`: what it replaced. Keeps the newest `maxEntriesPerContact` per contact.
   */
  record(peer: string, entry: CallLogEntry): { entry: StoredCallLogEntry; added: boolean; previous: StoredCallLogEntry | null } {
    const id = Buffer.from(base64urlToBytes(entry.callId));
    const peerKey = Buffer.from(peer, 'hex');
    const direction = entry.direction === 'outgoing' ? 'out' : 'in';
    return this.#conn.transaction(() => {
      const known = this.#conn.prepare(`SELECT ${COLUMNS} FROM call_log WHERE peer_key = ? AND call_id = ?`).get(peerKey, id) as Row | undefined;
      if (known !== undefined) {
        if (known.direction !== direction || CALL_OUTCOME_RANK[entry.outcome] <= CALL_OUTCOME_RANK[known.outcome]) return { entry: toEntry(known), added: false, previous: null };
        // A better outcome is never 'missed' (the lowest), so the entry is stored seen.
        this.#conn
          .prepare('UPDATE call_log SET outcome = ?, duration_ms = ?, started_at = ?, ended_at = ?, seen = 1 WHERE peer_key = ? AND call_id = ?')
          .run(entry.outcome, entry.durationMs, entry.startedAt, entry.endedAt, peerKey, id);
        const updated = this.#conn.prepare(`SELECT ${COLUMNS} FROM call_log WHERE peer_key = ? AND call_id = ?`).get(peerKey, id) as Row;
        return { entry: toEntry(updated), added: true, previous: toEntry(known) };
      }
      this.#conn
        .prepare(`INSERT INTO call_log (call_id, peer_key, ${COLUMNS.slice('call_id, '.length)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(id, peerKey, direction, entry.outcome, entry.durationMs, entry.startedAt, entry.endedAt, entry.outcome === 'missed' ? 0 : 1);
      this.#conn
        .prepare(
          `DELETE FROM call_log WHERE peer_key = ? AND call_id NOT IN
             (SELECT call_id FROM call_log WHERE peer_key = ? ORDER BY started_at DESC, call_id DESC LIMIT ?)`,
        )
        .run(peerKey, peerKey, this.#maxPerContact);
      const stored = this.#conn.prepare(`SELECT ${COLUMNS} FROM call_log WHERE peer_key = ? AND call_id = ?`).get(peerKey, id) as Row | undefined;
      if (stored === undefined) throw CallLogError.notKept();
      return { entry: toEntry(stored), added: true, previous: null };
    });
  }

  /** The newest `limit` entries with one contact, oldest first. */
  list(peer: string, limit: number = CALL_LOG_LIMITS.pageEntries): StoredCallLogEntry[] {
    const rows = this.#conn
      .prepare(`SELECT ${COLUMNS} FROM call_log WHERE peer_key = ? ORDER BY started_at DESC, call_id DESC LIMIT ?`)
      .all(Buffer.from(peer, 'hex'), limit) as Row[];
    return rows.reverse().map(toEntry);
  }

  /** Unseen missed calls per contact (hex), only contacts with some. */
  unseenMissed(): { peer: string; count: number }[] {
    const rows = this.#conn.prepare('SELECT peer_key, count(*) AS count FROM call_log WHERE seen = 0 GROUP BY peer_key').all() as { peer_key: Buffer; count: number }[];
    return rows.map((r) => ({ peer: r.peer_key.toString('hex'), count: r.count }));
  }

  /** Marks the contact's missed calls seen; answers how many changed. */
  markSeen(peer: string): number {
    return this.#conn.prepare('UPDATE call_log SET seen = 1 WHERE peer_key = ? AND seen = 0').run(Buffer.from(peer, 'hex')).changes;
  }
}

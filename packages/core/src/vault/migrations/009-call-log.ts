import type { Migration } from './migration';

/**
 * The call log (VOICE-04, issue #14): one row per finished call with a contact, recorded by
 * this side only (the other side records its own in its vault; nothing is sent for it).
 *
 * - `outcome`: completed (it connected: `duration_ms` set), missed (incoming, never answered),
 *   declined, no-answer, cancelled, busy, failed. Only an incoming call can be missed.
 * - `seen` = 0 marks a missed call nobody has looked at yet (the unread badge); every other
 *   entry is stored seen.
 * - Bounded: the store keeps at most 1,000 rows per contact (the oldest go first).
 * - Keyed by contact and call id: the caller picks an incoming call's id, so one contact's ids
 *   never mask another's entries (edited in place before 009 was released: review finding 8).
 */
export const migration009: Migration = {
  version: 9,
  name: 'call-log',
  up(db) {
    db.exec(`
      CREATE TABLE call_log (
        call_id     BLOB    NOT NULL CHECK (length(call_id) = 16),
        peer_key    BLOB    NOT NULL CHECK (length(peer_key) = 32),
        direction   TEXT    NOT NULL CHECK (direction IN ('out', 'in')),
        outcome     TEXT    NOT NULL CHECK (outcome IN ('completed', 'missed', 'declined', 'no-answer', 'cancelled', 'busy', 'failed')),
        duration_ms INTEGER CHECK ((outcome = 'completed') = (duration_ms IS NOT NULL) AND (duration_ms IS NULL OR duration_ms BETWEEN 0 AND 604800000)),
        started_at  INTEGER NOT NULL CHECK (started_at >= 0),
        ended_at    INTEGER NOT NULL CHECK (ended_at >= started_at),
        seen        INTEGER NOT NULL CHECK (seen IN (0, 1) AND (seen = 1 OR outcome = 'missed')),
        CHECK (outcome <> 'missed' OR direction = 'in'),
        PRIMARY KEY (peer_key, call_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX call_log_by_peer ON call_log (peer_key, started_at);
    `);
  },
};

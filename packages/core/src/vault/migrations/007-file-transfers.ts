import type { Migration } from './migration';

/**
 * File transfers (FILE-01..03, issue #13): one row per offered file, in either direction.
 *
 * - The offer as it was made (name as offered, size, MIME type, SHA-256, caption, the sender's
 *   preview), so the conversation can show it like a message.
 * - `state`: offered → accepted → complete, or declined / cancelled / failed (with `failure`,
 *   a code, and `failure_message`, one sentence).
 * - Sender (`out`): `source_path` and its size and mtime when offered; a changed source is refused
 *   (SOURCE_CHANGED) rather than sent mixed.
 * - Receiver (`in`): `dir` (the downloads folder chosen on accept), `bytes_done` (how far the
 *   partial file is on disk: written only after an fsync of it, so a resume after a crash asks
 *   for the rest from there, FILE-02) and `final_path` once the hash matched and it was renamed.
 */
export const migration007: Migration = {
  version: 7,
  name: 'file-transfers',
  up(db) {
    db.exec(`
      CREATE TABLE file_transfers (
        id              BLOB    PRIMARY KEY CHECK (length(id) = 16),
        peer_key        BLOB    NOT NULL CHECK (length(peer_key) = 32),
        direction       TEXT    NOT NULL CHECK (direction IN ('out', 'in')),
        name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 1024),
        size            INTEGER NOT NULL CHECK (size BETWEEN 0 AND 1099511627776),
        mime            TEXT    NOT NULL CHECK (length(mime) BETWEEN 3 AND 255),
        sha256          BLOB    NOT NULL CHECK (length(sha256) = 32),
        caption         TEXT    CHECK (caption IS NULL OR length(caption) BETWEEN 1 AND 2000),
        preview         BLOB    CHECK (preview IS NULL OR length(preview) BETWEEN 1 AND 32768),
        preview_mime    TEXT    CHECK ((preview IS NULL) = (preview_mime IS NULL)
                                       AND (preview_mime IS NULL OR preview_mime IN ('image/jpeg', 'image/png', 'image/webp'))),
        sent_at         INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('offered', 'accepted', 'complete', 'declined', 'cancelled', 'failed')),
        failure         TEXT    CHECK ((state = 'failed') = (failure IS NOT NULL)),
        failure_message TEXT    CHECK ((failure IS NULL) = (failure_message IS NULL)),
        bytes_done      INTEGER NOT NULL DEFAULT 0 CHECK (bytes_done BETWEEN 0 AND size),
        source_path     TEXT    CHECK ((direction = 'out') = (source_path IS NOT NULL)),
        source_mtime_ms INTEGER CHECK ((direction = 'out') = (source_mtime_ms IS NOT NULL)),
        dir             TEXT    CHECK (direction = 'in' OR dir IS NULL),
        final_path      TEXT    CHECK (final_path IS NULL OR (state = 'complete' AND direction = 'in'))
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX file_transfers_by_peer ON file_transfers (peer_key, created_at);
    `);
  },
};

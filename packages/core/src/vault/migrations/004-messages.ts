import type { Migration } from './migration';

/**
 * Conversations and direct messages (MSG-01..05, issue #12).
 *
 * - `conversations`: one per contact key (kept if the contact is removed: history is the
 *   user's). The sync points of PROTOCOL.md §7.3 live here so they change in the same
 *   transaction as the messages they describe: `own_seq` (the last sequence number this side
 *   gave a change of its own), `peer_acked_seq` / `peer_read_seq` (how far the peer has stored /
 *   read them), `received_seq` (the last change of the peer's stored here, contiguous) and
 *   `read_seq` (how far the user has read the peer's messages).
 * - `messages`: the rowid is the local arrival order, which is the display order and the
 *   paging cursor: an author's messages arrive in sequence order, so none overtakes an earlier
 *   one. A deleted message keeps its row as a tombstone with the text wiped.
 * - `reactions`: one row per (message, reactor, emoji); `outgoing` = reacted by this side.
 * - `outbox`: this side's changes (send, edit, delete, react) not yet acknowledged by the
 *   peer, by sequence number. The frame is built from the message row when it is sent, so no
 *   text is copied here and a deleted message's text is gone everywhere.
 * - `messages_fts`: FTS5 (this SQLCipher build has it, in the same encrypted file) over the
 *   text, external-content (the text is not stored twice), kept in step by triggers.
 */
export const migration004: Migration = {
  version: 4,
  name: 'messages',
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id             INTEGER PRIMARY KEY,
        peer_key       BLOB    NOT NULL UNIQUE CHECK (length(peer_key) = 32),
        created_at     INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL,
        own_seq        INTEGER NOT NULL DEFAULT 0 CHECK (own_seq >= 0),
        peer_acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (peer_acked_seq BETWEEN 0 AND own_seq),
        peer_read_seq  INTEGER NOT NULL DEFAULT 0 CHECK (peer_read_seq BETWEEN 0 AND own_seq),
        received_seq   INTEGER NOT NULL DEFAULT 0 CHECK (received_seq >= 0),
        read_seq       INTEGER NOT NULL DEFAULT 0 CHECK (read_seq BETWEEN 0 AND received_seq),
        muted          INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1))
      ) STRICT;

      CREATE TABLE messages (
        rowid           INTEGER PRIMARY KEY,
        id              BLOB    NOT NULL UNIQUE CHECK (length(id) = 16),
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        outgoing        INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
        seq             INTEGER NOT NULL CHECK (seq >= 1),
        text            TEXT    NOT NULL CHECK (length(text) <= 4000),
        sent_at         INTEGER NOT NULL,
        received_at     INTEGER NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'read', 'failed')),
        failure         TEXT    CHECK ((state = 'failed') = (failure IS NOT NULL)),
        reply_to        BLOB    CHECK (reply_to IS NULL OR length(reply_to) = 16),
        edited_at       INTEGER,
        deleted_at      INTEGER,
        CHECK (deleted_at IS NULL OR text = ''),
        CHECK (deleted_at IS NOT NULL OR length(text) >= 1),
        UNIQUE (conversation_id, outgoing, seq)
      ) STRICT;
      CREATE INDEX messages_by_conversation ON messages (conversation_id);

      CREATE TABLE reactions (
        message_rowid INTEGER NOT NULL REFERENCES messages (rowid) ON DELETE CASCADE,
        outgoing      INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
        emoji         TEXT    NOT NULL CHECK (length(emoji) BETWEEN 1 AND 16),
        reacted_at    INTEGER NOT NULL,
        PRIMARY KEY (message_rowid, outgoing, emoji)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE outbox (
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL CHECK (seq >= 1),
        kind            TEXT    NOT NULL CHECK (kind IN ('send', 'edit', 'delete', 'react')),
        message_rowid   INTEGER NOT NULL REFERENCES messages (rowid) ON DELETE CASCADE,
        emoji           TEXT    CHECK ((kind = 'react') = (emoji IS NOT NULL)),
        reaction_on     INTEGER CHECK ((kind = 'react') = (reaction_on IS NOT NULL)),
        at              INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE VIRTUAL TABLE messages_fts USING fts5 (
        text, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
    `);
  },
};

import type { Migration } from './migration';

/**
 * Contacts (CONT-01..05). Insertion order (`id`) is the list's stable order. Online status is
 * not stored (it is only true while connected); the last time a contact was seen online is.
 */
export const migration002: Migration = {
  version: 2,
  name: 'contacts',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        id           INTEGER PRIMARY KEY,
        public_key   BLOB    NOT NULL UNIQUE CHECK (length(public_key) = 32),
        nickname     TEXT    CHECK (nickname IS NULL OR length(nickname) BETWEEN 1 AND 64),
        verified     INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
        added_at     INTEGER NOT NULL,
        last_seen_at INTEGER
      ) STRICT;
    `);
  },
};

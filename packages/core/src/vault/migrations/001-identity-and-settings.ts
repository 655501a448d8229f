import type { Migration } from './migration';

/** The user's own identity (one row; the private seed lives only here) and the settings. */
export const migration001: Migration = {
  version: 1,
  name: 'identity and settings',
  up(db) {
    db.exec(`
      CREATE TABLE identity (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        seed         BLOB    NOT NULL CHECK (length(seed) = 32),
        public_key   BLOB    NOT NULL CHECK (length(public_key) = 32),
        display_name TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
        created_at   INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key        TEXT    PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 128),
        value      TEXT    NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { openEncrypted, type Db } from '../sqlcipher';
import { MIGRATIONS, SCHEMA_VERSION } from './index';
import type { Migration } from './migration';
import { runMigrations, schemaVersion } from './run-migrations';

/** A real encrypted database file at schema version `version`. */
function databaseAt(version: number): Db {
  const db = openEncrypted(join(tempDir(), 'vault.db'), randomBytes(32), { create: true });
  db.pragma('journal_mode = WAL');
  runMigrations(db, { target: version });
  expect(schemaVersion(db)).toBe(version);
  return db;
}

function tableInfo(db: Db, table: string): { strict: number } | undefined {
  return db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as { strict: number } | undefined;
}

describe('migrations (VAULT-03)', () => {
  it('VAULT-03: are numbered 1..n, one per file, and n is the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('VAULT-03: 001 (identity and settings): from an empty database to version 1', () => {
    const db = databaseAt(0);
    runMigrations(db, { target: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(tableInfo(db, 'identity')).toEqual({ strict: 1 });
    expect(tableInfo(db, 'settings')).toEqual({ strict: 1 });
    db.prepare('INSERT INTO identity VALUES (1, ?, ?, ?, 5)').run(randomBytes(32), randomBytes(32), 'Alice');
    // One identity only; STRICT refuses the wrong types; a seed is 32 bytes.
    expect(() => db.prepare('INSERT INTO identity VALUES (2, ?, ?, ?, 5)').run(randomBytes(32), randomBytes(32), 'Bob')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO settings VALUES ('k', 'v', 'not a number')").run()).toThrow(/cannot store TEXT value in INTEGER/);
    expect(() => db.prepare('UPDATE identity SET seed = ?').run(randomBytes(31))).toThrow(/CHECK/);
    db.close();
  });

  it('VAULT-03: 002 (contacts): created at 1 with data, migrated to 2, the data is intact and contacts work', () => {
    const db = databaseAt(1);
    const seed = randomBytes(32);
    db.prepare('INSERT INTO identity VALUES (1, ?, ?, ?, 5)').run(seed, randomBytes(32), 'Alice');
    db.prepare(`INSERT INTO settings VALUES ('appearance.theme', '"dark"', 6)`).run();

    runMigrations(db, { target: 2 });
    expect(schemaVersion(db)).toBe(2);
    expect((db.prepare('SELECT seed FROM identity').get() as { seed: Buffer }).seed.equals(seed)).toBe(true);
    expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'appearance.theme', value: '"dark"' }]);
    expect(tableInfo(db, 'contacts')).toEqual({ strict: 1 });
    const key = randomBytes(32);
    db.prepare('INSERT INTO contacts (public_key, nickname, added_at) VALUES (?, ?, 7)').run(key, 'Bob');
    expect(() => db.prepare('INSERT INTO contacts (public_key, added_at) VALUES (?, 8)').run(key)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO contacts (public_key, nickname, added_at) VALUES (?, '', 8)").run(randomBytes(32))).toThrow(/CHECK/);
    expect(db.prepare('SELECT verified, last_seen_at FROM contacts').get()).toEqual({ verified: 0, last_seen_at: null });
    db.close();
  });

  it('VAULT-03, MSG-01: 004 (messages): created at 3 with data, migrated to 4, the data is intact and the tables hold their rules', () => {
    const db = databaseAt(3);
    const contact = randomBytes(32);
    // At version 3 the identity row also records when the display name was set (003).
    db.prepare('INSERT INTO identity VALUES (1, ?, ?, ?, 5, 6)').run(randomBytes(32), randomBytes(32), 'Alice');
    db.prepare('INSERT INTO contacts (public_key, nickname, added_at) VALUES (?, ?, 7)').run(contact, 'Bob');

    runMigrations(db, { target: 4 });
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT nickname FROM contacts').pluck().get()).toBe('Bob');
    for (const table of ['conversations', 'messages', 'reactions', 'outbox']) expect(tableInfo(db, table)).toEqual({ strict: 1 });
    db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_seq) VALUES (?, 1, 1, 2)').run(contact);
    const insert = db.prepare(
      "INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state, deleted_at) VALUES (?, 1, 1, ?, ?, 1, 1, 'queued', ?)",
    );
    insert.run(randomBytes(16), 1, 'hello searchable world', null);
    // One sequence number per author and conversation; text at most 4,000 characters; a tombstone has no text.
    expect(() => insert.run(randomBytes(16), 1, 'again', null)).toThrow(/UNIQUE/);
    expect(() => insert.run(randomBytes(16), 2, 'x'.repeat(4001), null)).toThrow(/CHECK/);
    expect(() => insert.run(randomBytes(16), 2, 'still here', 9)).toThrow(/CHECK/);
    expect(() => insert.run(randomBytes(15), 2, 'short id', null)).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE conversations SET peer_acked_seq = 3').run()).toThrow(/CHECK/);
    // FTS5 in the same (encrypted) file, kept in step with the text by triggers.
    const search = db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'searchable'").pluck();
    expect(search.all()).toEqual([1]);
    db.prepare("UPDATE messages SET text = '', deleted_at = 2 WHERE rowid = 1").run();
    expect(search.all()).toEqual([]);
    db.close();
  });

  it('VAULT-03: a failing migration is rolled back whole and the version is not recorded', () => {
    const db = databaseAt(SCHEMA_VERSION);
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => runMigrations(db, { migrations: [...MIGRATIONS, broken] })).toThrow('boom');
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(tableInfo(db, 'half_done')).toBeUndefined();
    db.close();
  });

  it('VAULT-03: a database from a newer version is refused before anything is written', () => {
    const db = databaseAt(SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => runMigrations(db)).toThrow(expect.objectContaining({ code: 'VAULT_TOO_NEW' }));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1);
    db.close();
  });
});

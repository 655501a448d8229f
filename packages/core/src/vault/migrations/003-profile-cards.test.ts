import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { openEncrypted, type Db } from '../sqlcipher';
import { runMigrations, schemaVersion } from './run-migrations';

function databaseAt(version: number): Db {
  const db = openEncrypted(join(tempDir(), 'vault.db'), randomBytes(32), { create: true });
  db.pragma('journal_mode = WAL');
  runMigrations(db, { target: version });
  expect(schemaVersion(db)).toBe(version);
  return db;
}

describe('migration 003: profile cards (VAULT-03, P2P-05)', () => {
  it('VAULT-03, P2P-05: created at 2 with contacts, migrated to 3, the contacts are intact and have no card yet', () => {
    const db = databaseAt(2);
    const seed = randomBytes(32);
    db.prepare('INSERT INTO identity VALUES (1, ?, ?, ?, 5)').run(seed, randomBytes(32), 'Alice');
    const bob = randomBytes(32);
    const carol = randomBytes(32);
    db.prepare('INSERT INTO contacts (public_key, nickname, verified, added_at, last_seen_at) VALUES (?, ?, 1, 7, 9)').run(bob, 'Bobby');
    db.prepare('INSERT INTO contacts (public_key, added_at) VALUES (?, 8)').run(carol);

    runMigrations(db, { target: 3 });
    expect(schemaVersion(db)).toBe(3);
    const rows = db.prepare('SELECT public_key, nickname, verified, added_at, last_seen_at, display_name, display_name_updated_at, display_name_signature FROM contacts ORDER BY id').all() as Record<string, unknown>[];
    expect(rows).toEqual([
      { public_key: bob, nickname: 'Bobby', verified: 1, added_at: 7, last_seen_at: 9, display_name: null, display_name_updated_at: null, display_name_signature: null },
      { public_key: carol, nickname: null, verified: 0, added_at: 8, last_seen_at: null, display_name: null, display_name_updated_at: null, display_name_signature: null },
    ]);
    expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').pluck().get('contacts')).toBe(1);
    // The own display name counts as set when the identity was created.
    const identity = db.prepare('SELECT seed, display_name, created_at, display_name_updated_at FROM identity').get();
    expect(identity).toEqual({ seed, display_name: 'Alice', created_at: 5, display_name_updated_at: 5 });
    db.close();
  });

  it('P2P-05: a card is stored whole or not at all, with a 1–64 character name and a 64-byte signature', () => {
    const db = databaseAt(3);
    const key = randomBytes(32);
    db.prepare('INSERT INTO contacts (public_key, added_at) VALUES (?, 1)').run(key);
    const set = (name: unknown, at: unknown, sig: unknown) =>
      db.prepare('UPDATE contacts SET display_name = ?, display_name_updated_at = ?, display_name_signature = ? WHERE public_key = ?').run(name, at, sig, key);
    expect(() => set('Bob', 5, randomBytes(64))).not.toThrow();
    expect(() => set('Bob', null, randomBytes(64))).toThrow(/CHECK/);
    expect(() => set('Bob', 5, null)).toThrow(/CHECK/);
    expect(() => set(null, 5, null)).toThrow(/CHECK/);
    expect(() => set('Bob', 5, randomBytes(63))).toThrow(/CHECK/);
    expect(() => set('', 5, randomBytes(64))).toThrow(/CHECK/);
    expect(() => set('é'.repeat(65), 5, randomBytes(64))).toThrow(/CHECK/);
    expect(() => set('é'.repeat(64), 5, randomBytes(64))).not.toThrow();
    expect(() => set('Bob', 'soon', randomBytes(64))).toThrow(/cannot store TEXT value in INTEGER/);
    expect(() => set(null, null, null)).not.toThrow();
    db.close();
  });
});

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

describe('migration 007: file transfers (VAULT-03, FILE-01..03)', () => {
  it('VAULT-03, FILE-02: created at 6 with messages, migrated to 7, the data is intact and the table holds its rules', () => {
    const db = databaseAt(5);
    const contact = randomBytes(32);
    db.prepare('INSERT INTO identity VALUES (1, ?, ?, ?, 5, 6)').run(randomBytes(32), randomBytes(32), 'Alice');
    db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_seq) VALUES (?, 1, 1, 1)').run(contact);
    db.prepare("INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state) VALUES (?, 1, 1, 1, 'hi', 1, 1, 'queued')").run(randomBytes(16));

    runMigrations(db, { target: 7 });
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare('SELECT text FROM messages').pluck().get()).toBe('hi');
    expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').pluck().get('file_transfers')).toBe(1);

    const insert = (over: Record<string, unknown> = {}) => {
      const row = {
        id: randomBytes(16), peer_key: contact, direction: 'in', name: 'a.txt', size: 10, mime: 'text/plain', sha256: randomBytes(32),
        caption: null, preview: null, preview_mime: null, sent_at: 1, created_at: 1, updated_at: 1, state: 'offered',
        failure: null, failure_message: null, bytes_done: 0, source_path: null, source_mtime_ms: null, dir: null, final_path: null, ...over,
      };
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO file_transfers (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
    };
    expect(() => insert()).not.toThrow();
    expect(() => insert({ direction: 'out', source_path: '/tmp/a', source_mtime_ms: 5 })).not.toThrow();
    // A sender's row names its source; a receiver's never does.
    expect(() => insert({ direction: 'out' })).toThrow(/CHECK/);
    expect(() => insert({ source_path: '/tmp/a', source_mtime_ms: 5 })).toThrow(/CHECK/);
    // Progress within the size; a failure exactly when failed, with its sentence; previews bounded and typed.
    expect(() => insert({ bytes_done: 11 })).toThrow(/CHECK/);
    expect(() => insert({ state: 'failed' })).toThrow(/CHECK/);
    expect(() => insert({ state: 'failed', failure: 'HASH_MISMATCH', failure_message: 'bad' })).not.toThrow();
    expect(() => insert({ state: 'failed', failure: 'HASH_MISMATCH' })).toThrow(/CHECK/);
    expect(() => insert({ preview: randomBytes(32 * 1024 + 1), preview_mime: 'image/png' })).toThrow(/CHECK/);
    expect(() => insert({ preview: randomBytes(10), preview_mime: 'image/svg+xml' })).toThrow(/CHECK/);
    expect(() => insert({ preview: randomBytes(10), preview_mime: null })).toThrow(/CHECK/);
    expect(() => insert({ final_path: '/x' })).toThrow(/CHECK/);
    expect(() => insert({ state: 'complete', final_path: '/x', bytes_done: 10 })).not.toThrow();
    expect(() => insert({ id: randomBytes(15) })).toThrow(/CHECK/);
    expect(() => insert({ size: 'big' })).toThrow(/cannot store TEXT value in INTEGER/);
    db.close();
  });
});

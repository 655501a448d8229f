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

describe('migration 005: contact requests and blocking (VAULT-03, CONT-06)', () => {
  it('VAULT-03, CONT-06: created at 4 with contacts, migrated to 5: contacts intact, one seen online, one with a profile card and one with messages from them count as added back, the rest pending', () => {
    const db = databaseAt(4);
    const bob = randomBytes(32);
    const carol = randomBytes(32);
    db.prepare('INSERT INTO contacts (public_key, nickname, verified, added_at, last_seen_at) VALUES (?, ?, 1, 7, 9)').run(bob, 'Bobby');
    db.prepare('INSERT INTO contacts (public_key, added_at) VALUES (?, 8)').run(carol);
    // Never seen online (always invisible), but evidence of a link: a profile card, or messages from them.
    const dave = randomBytes(32);
    const erin = randomBytes(32);
    db.prepare('INSERT INTO contacts (public_key, added_at, display_name, display_name_updated_at, display_name_signature) VALUES (?, 10, ?, 11, ?)').run(dave, 'Dave', randomBytes(64));
    db.prepare('INSERT INTO contacts (public_key, added_at) VALUES (?, 12)').run(erin);
    const conv = db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at) VALUES (?, 12, 30)').run(erin).lastInsertRowid;
    const message = db.prepare("INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state) VALUES (?, ?, ?, ?, 'hi', ?, ?, 'delivered')");
    message.run(randomBytes(16), conv, 1, 1, 13, 13);
    message.run(randomBytes(16), conv, 0, 1, 20, 21);
    message.run(randomBytes(16), conv, 0, 2, 25, 26);
    // Only messages *to* them: no evidence.
    const frank = randomBytes(32);
    db.prepare('INSERT INTO contacts (public_key, added_at) VALUES (?, 14)').run(frank);
    const conv2 = db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at) VALUES (?, 14, 15)').run(frank).lastInsertRowid;
    message.run(randomBytes(16), conv2, 1, 1, 15, 15);

    runMigrations(db, { target: 5 });
    expect(schemaVersion(db)).toBe(5);
    const rows = db.prepare('SELECT public_key, nickname, verified, added_at, last_seen_at, added_back_at FROM contacts ORDER BY id').all();
    expect(rows).toEqual([
      { public_key: bob, nickname: 'Bobby', verified: 1, added_at: 7, last_seen_at: 9, added_back_at: 9 },
      { public_key: carol, nickname: null, verified: 0, added_at: 8, last_seen_at: null, added_back_at: null },
      { public_key: dave, nickname: null, verified: 0, added_at: 10, last_seen_at: null, added_back_at: 10 },
      { public_key: erin, nickname: null, verified: 0, added_at: 12, last_seen_at: null, added_back_at: 21 },
      { public_key: frank, nickname: null, verified: 0, added_at: 14, last_seen_at: null, added_back_at: null },
    ]);
    for (const table of ['incoming_requests', 'outgoing_requests', 'blocked_keys']) {
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').pluck().get(table)).toBe(1);
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    db.close();
  });

  it('CONT-06: the tables refuse keys, names, signatures and notes out of bounds', () => {
    const db = databaseAt(5);
    const incoming = (key: unknown, name: unknown, sig: unknown, note: unknown) =>
      db.prepare('INSERT INTO incoming_requests (public_key, display_name, display_name_updated_at, display_name_signature, note, received_at) VALUES (?, ?, 1, ?, ?, 2)').run(key, name, sig, note);
    expect(() => incoming(randomBytes(32), 'Alice', randomBytes(64), 'hi')).not.toThrow();
    expect(() => incoming(randomBytes(31), 'Alice', randomBytes(64), 'hi')).toThrow(/CHECK/);
    expect(() => incoming(randomBytes(32), '', randomBytes(64), 'hi')).toThrow(/CHECK/);
    expect(() => incoming(randomBytes(32), 'Alice', randomBytes(63), 'hi')).toThrow(/CHECK/);
    expect(() => incoming(randomBytes(32), 'Alice', randomBytes(64), 'é'.repeat(281))).toThrow(/CHECK/);
    expect(() => incoming(randomBytes(32), 'Alice', randomBytes(64), 'é'.repeat(280))).not.toThrow();
    const block = (key: unknown, label: unknown) => db.prepare('INSERT INTO blocked_keys (public_key, label, blocked_at) VALUES (?, ?, 1)').run(key, label);
    expect(() => block(randomBytes(32), 'Mallory')).not.toThrow();
    expect(() => block(randomBytes(32), '')).toThrow(/CHECK/);
    expect(() => block(randomBytes(33), 'x')).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO outgoing_requests (public_key, note, created_at) VALUES (?, ?, 1)').run(randomBytes(32), 'x'.repeat(281))).toThrow(/CHECK/);
    db.close();
  });
});

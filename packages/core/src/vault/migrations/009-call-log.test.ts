import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { openEncrypted } from '../sqlcipher';
import { runMigrations, schemaVersion } from './run-migrations';

describe('migration 009: the call log (VAULT-03, VOICE-04)', () => {
  it('VAULT-03, VOICE-04: created at 8 with a conversation, migrated to 9, the data is intact and call_log holds its rules', () => {
    const db = openEncrypted(join(tempDir(), 'vault.db'), randomBytes(32), { create: true });
    db.pragma('journal_mode = WAL');
    runMigrations(db, { target: 8 });
    const contact = randomBytes(32);
    db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_seq) VALUES (?, 1, 1, 1)').run(contact);
    db.prepare("INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state) VALUES (?, 1, 1, 1, 'hi', 1, 1, 'queued')").run(randomBytes(16));

    runMigrations(db, { target: 9 });
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare('SELECT text FROM messages').pluck().get()).toBe('hi');
    expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').pluck().get('call_log')).toBe(1);

    const insert = (over: Record<string, unknown> = {}) => {
      const row = { call_id: randomBytes(16), peer_key: contact, direction: 'in', outcome: 'completed', duration_ms: 252_000, started_at: 10, ended_at: 262_010, seen: 1, ...over };
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO call_log (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...Object.values(row));
    };
    expect(() => insert()).not.toThrow();
    expect(() => insert({ outcome: 'missed', duration_ms: null, seen: 0 })).not.toThrow();
    expect(() => insert({ direction: 'out', outcome: 'cancelled', duration_ms: null })).not.toThrow();
    // A length exactly when it connected; only incoming calls are missed; only missed ones unseen.
    expect(() => insert({ duration_ms: null })).toThrow(/CHECK/);
    expect(() => insert({ outcome: 'declined' })).toThrow(/CHECK/);
    expect(() => insert({ direction: 'out', outcome: 'missed', duration_ms: null })).toThrow(/CHECK/);
    expect(() => insert({ seen: 0 })).toThrow(/CHECK/);
    expect(() => insert({ outcome: 'rang', duration_ms: null })).toThrow(/CHECK/);
    expect(() => insert({ ended_at: 9 })).toThrow(/CHECK/);
    expect(() => insert({ call_id: randomBytes(15) })).toThrow(/CHECK/);
    expect(() => insert({ duration_ms: 604_800_001, ended_at: 604_800_011 })).toThrow(/CHECK/);
    // Keyed by contact and call id (review finding 8): one contact's id never masks another's.
    const shared = randomBytes(16);
    expect(() => insert({ call_id: shared })).not.toThrow();
    expect(() => insert({ call_id: shared, peer_key: randomBytes(32) })).not.toThrow();
    expect(() => insert({ call_id: shared })).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(db.prepare("SELECT group_concat(name) FROM pragma_index_info((SELECT name FROM pragma_index_list('call_log') WHERE origin = 'pk'))").pluck().get()).toBe('peer_key,call_id');
    db.close();
  });
});

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

describe('migration 006: message numbering epochs (VAULT-03, MSG-02)', () => {
  it('VAULT-03, MSG-02: created at 5 with a conversation, migrated to 6: the sync points are intact, each conversation gets its own epoch, the peer’s is unknown', () => {
    const db = databaseAt(5);
    const [bob, carol] = [randomBytes(32), randomBytes(32)];
    const conv = db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_seq, peer_acked_seq, received_seq, read_seq) VALUES (?, 1, 2, ?, ?, ?, ?)');
    conv.run(bob, 5, 4, 7, 6);
    conv.run(carol, 1, 0, 0, 0);
    db.prepare("INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state) VALUES (?, 1, 0, 7, 'hi', 1, 1, 'read')").run(randomBytes(16));

    runMigrations(db, { target: 6 });
    expect(schemaVersion(db)).toBe(6);
    const rows = db.prepare('SELECT own_seq, peer_acked_seq, received_seq, read_seq, own_epoch, peer_epoch, peer_seq_base FROM conversations ORDER BY id').all() as Record<string, unknown>[];
    expect(rows).toEqual([
      { own_seq: 5, peer_acked_seq: 4, received_seq: 7, read_seq: 6, own_epoch: expect.any(Buffer), peer_epoch: null, peer_seq_base: 0 },
      { own_seq: 1, peer_acked_seq: 0, received_seq: 0, read_seq: 0, own_epoch: expect.any(Buffer), peer_epoch: null, peer_seq_base: 0 },
    ]);
    expect((rows[0]!.own_epoch as Buffer).length).toBe(8);
    expect(rows[0]!.own_epoch).not.toEqual(rows[1]!.own_epoch);
    expect(db.prepare('SELECT text FROM messages').pluck().get()).toBe('hi');
    expect(() => db.prepare('UPDATE conversations SET peer_epoch = ? WHERE id = 1').run(randomBytes(7))).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE conversations SET peer_seq_base = 'x' WHERE id = 1").run()).toThrow(/INTEGER/);
    db.close();
  });
});

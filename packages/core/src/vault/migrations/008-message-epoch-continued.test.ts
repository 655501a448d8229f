import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp-dir';
import { openEncrypted } from '../sqlcipher';
import { runMigrations, schemaVersion } from './run-migrations';

describe('migration 008: epochs that continue an older stream are flagged (VAULT-03, MSG-02)', () => {
  it('VAULT-03, MSG-02: at 7, a conversation with own changes gets the flag, one without does not; the sync points are intact; only 0 or 1', () => {
    const db = openEncrypted(join(tempDir(), 'vault.db'), randomBytes(32), { create: true });
    runMigrations(db, { target: 7 });
    const conv = db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_seq, peer_acked_seq, received_seq, own_epoch) VALUES (?, 1, 2, ?, ?, ?, ?)');
    conv.run(randomBytes(32), 5, 4, 7, randomBytes(8));
    conv.run(randomBytes(32), 0, 0, 3, randomBytes(8));
    runMigrations(db, { target: 8 });
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT own_seq, peer_acked_seq, received_seq, own_epoch_continued FROM conversations ORDER BY id').all()).toEqual([
      { own_seq: 5, peer_acked_seq: 4, received_seq: 7, own_epoch_continued: 1 },
      { own_seq: 0, peer_acked_seq: 0, received_seq: 3, own_epoch_continued: 0 },
    ]);
    expect(() => db.prepare('UPDATE conversations SET own_epoch_continued = 2 WHERE id = 1').run()).toThrow(/CHECK/);
    db.close();
  });
});

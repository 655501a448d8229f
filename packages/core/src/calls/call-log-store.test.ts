import { randomBytes } from 'node:crypto';
import { bytesToBase64url } from '@discordopus/protocol';
import { CALL_LOG_LIMITS, type CallLogEntry } from '@discordopus/protocol/calls';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { join } from 'node:path';
import { Connection } from '../vault/connection';
import { runMigrations } from '../vault/migrations/run-migrations';
import { openEncrypted } from '../vault/sqlcipher';
import { Vault } from '../vault/vault';
import { CallLogStore } from './call-log-store';

const bob = randomBytes(32).toString('hex');
const carol = randomBytes(32).toString('hex');
const callId = () => bytesToBase64url(randomBytes(16));
const completed = (startedAt: number): CallLogEntry => ({ callId: callId(), direction: 'outgoing', outcome: 'completed', durationMs: 252_000, startedAt, endedAt: startedAt + 260_000 });
const missed = (startedAt: number): CallLogEntry => ({ callId: callId(), direction: 'incoming', outcome: 'missed', durationMs: null, startedAt, endedAt: startedAt + 30_000 });

const open: Vault[] = [];
afterEach(() => {
  for (const v of open.splice(0)) v.close();
});

describe('the call log in the vault (VOICE-04, VAULT-01)', () => {
  it('VOICE-04: entries are kept per contact, oldest first, across a lock and unlock; a repeated callId changes nothing', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    const first = completed(1_000);
    expect(vault.callLog.record(bob, first)).toEqual({ entry: { ...first, seen: true }, added: true, previous: null });
    vault.callLog.record(bob, missed(500));
    vault.callLog.record(carol, missed(700));
    expect(vault.callLog.record(bob, { ...first, outcome: 'failed', durationMs: null })).toEqual({ entry: { ...first, seen: true }, added: false, previous: null });
    vault.close();

    const again = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    open.push(again);
    expect(again.callLog.list(bob).map((e) => [e.startedAt, e.outcome, e.seen])).toEqual([
      [500, 'missed', false],
      [1_000, 'completed', true],
    ]);
    expect(again.callLog.list(carol)).toHaveLength(1);
  });

  it('VOICE-04: two windows record one call: a better outcome replaces a worse one (missed → completed, seen), never the other way round', async () => {
    const vault = await createTestVault(tempDir());
    open.push(vault);
    const call = missed(2_000);
    expect(vault.callLog.record(bob, call)).toMatchObject({ added: true, previous: null, entry: { outcome: 'missed', seen: false } });
    const answered: CallLogEntry = { ...call, outcome: 'completed', durationMs: 120_000, endedAt: 130_000 };
    expect(vault.callLog.record(bob, answered)).toEqual({ added: true, previous: { ...call, seen: false }, entry: { ...answered, seen: true } });
    expect(vault.callLog.unseenMissed()).toEqual([]);
    expect(vault.callLog.record(bob, call)).toEqual({ added: false, previous: null, entry: { ...answered, seen: true } });
    expect(vault.callLog.record(bob, { ...call, outcome: 'declined' })).toMatchObject({ added: false });
    // A record in the other direction under the same callId is not the same call: refused as a replacement.
    const declinedOut: CallLogEntry = { ...call, direction: 'outgoing', outcome: 'declined' };
    const other = missed(3_000);
    vault.callLog.record(bob, other);
    expect(vault.callLog.record(bob, { ...declinedOut, callId: other.callId })).toMatchObject({ added: false, entry: { outcome: 'missed' } });
    expect(vault.callLog.list(bob).map((e) => e.outcome)).toEqual(['completed', 'missed']);
  });

  it('VOICE-04: a callId is per contact: one contact reusing another\'s callId neither is dropped nor sees the other\'s entry (review finding 8)', async () => {
    const vault = await createTestVault(tempDir());
    open.push(vault);
    const bobs = completed(1_000);
    vault.callLog.record(bob, bobs);
    const carols: CallLogEntry = { ...missed(2_000), callId: bobs.callId };
    expect(vault.callLog.record(carol, carols)).toEqual({ added: true, previous: null, entry: { ...carols, seen: false } });
    expect(vault.callLog.list(bob)).toEqual([{ ...bobs, seen: true }]);
    expect(vault.callLog.list(carol)).toEqual([{ ...carols, seen: false }]);
  });

  it('VOICE-04: missed calls are unseen until the user looks; counts are per contact', async () => {
    const vault = await createTestVault(tempDir());
    open.push(vault);
    vault.callLog.record(bob, missed(1));
    vault.callLog.record(bob, missed(2));
    vault.callLog.record(carol, missed(3));
    vault.callLog.record(carol, completed(4));
    expect(vault.callLog.unseenMissed().sort((a, b) => a.count - b.count)).toEqual([
      { peer: carol, count: 1 },
      { peer: bob, count: 2 },
    ]);
    expect(vault.callLog.markSeen(bob)).toBe(2);
    expect(vault.callLog.markSeen(bob)).toBe(0);
    expect(vault.callLog.unseenMissed()).toEqual([{ peer: carol, count: 1 }]);
  });

  it('VOICE-04: a contact who calls without end cannot fill the vault: the newest entries are kept', async () => {
    const db = openEncrypted(join(tempDir(), 'vault.db'), randomBytes(32), { create: true });
    runMigrations(db);
    const log = new CallLogStore({ connection: new Connection(db), maxEntriesPerContact: 20 });
    for (let i = 0; i < 25; i += 1) log.record(bob, missed(i));
    log.record(carol, missed(0));
    const kept = log.list(bob, 100);
    expect(kept).toHaveLength(20);
    expect(kept[0]?.startedAt).toBe(5);
    expect(log.list(bob, 3).map((e) => e.startedAt)).toEqual([22, 23, 24]);
    expect(log.list(carol)).toHaveLength(1);
    expect(CALL_LOG_LIMITS.maxEntriesPerContact).toBe(1_000);
    // An entry older than every kept one is pruned at once: a coded error, not a bare Error (INTERNAL).
    expect(() => log.record(bob, missed(1))).toThrow(expect.objectContaining({ code: 'CALL_LOG_NOT_KEPT' }));
    db.close();
  });
});

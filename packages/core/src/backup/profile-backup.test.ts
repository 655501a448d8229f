import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeUserId } from '@discordopus/protocol';
import { ed25519 } from '@noble/curves/ed25519.js';
import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { caught, createTestVault, OTHER_PASSPHRASE } from '../../test/helpers/test-vault';
import { TEST_ONLY_CHEAP_SCRYPT } from '../vault/kdf';
import { Vault } from '../vault/vault';
import { BACKUP_MAX_BYTES, decryptBackup, encryptBackup } from './identity-backup';

const BACKUP_PASSPHRASE = 'mango telescope gravel sunrise';
const cheap = { kdf: TEST_ONLY_CHEAP_SCRYPT };
/** A real Ed25519 key from a seed byte: IDs of non-keys are refused (CONTACT_KEY_UNUSABLE). */
const key = (n: number) => encodeUserId(ed25519.getPublicKey(new Uint8Array(32).fill(n)));

/** Written by the version 1 code (identity only), before version 2 existed. */
const V1_FIXTURE = fileURLToPath(new URL('../../test/fixtures/backups/identity-backup-v1.json', import.meta.url));

describe('profile backup: contacts and settings travel with the identity (IDEN-03, issue 15 item 2)', () => {
  it('a restored profile has the contacts in order, their nicknames and verifications, and the changed settings', async () => {
    const source = await createTestVault(tempDir(), { now: () => 1_700_000_000_000 });
    const bob = source.contacts.add(key(2), { nickname: 'Bob' });
    const carol = source.contacts.add(key(3));
    source.contacts.add(key(4), { nickname: 'Dave' });
    source.contacts.setVerified(carol.publicKey, true);
    source.settings.set('appearance.theme', 'dark');
    source.settings.set('presence.status', 'busy');
    source.settings.set('network.signalingUrls', ['wss://signal.example.org']);
    const expected = source.contacts.list().map(({ onlineStatus: _, lastSeenAt: __, ...rest }) => rest);
    const bytes = await source.exportBackup(BACKUP_PASSPHRASE, cheap);
    source.close();
    // Nothing of it is readable in the file.
    const text = Buffer.from(bytes).toString('utf8');
    for (const secret of ['Bob', 'Dave', key(2), bob.publicKey, 'signal.example.org', 'busy']) expect(text).not.toContain(secret);

    const dir = join(tempDir(), 'restored');
    const restored = await Vault.restoreFromBackup({ dir, backupBytes: bytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: OTHER_PASSPHRASE, ...cheap });
    restored.close();
    const reopened = await Vault.unlock({ dir, passphrase: OTHER_PASSPHRASE });
    expect(reopened.contacts.list().map(({ onlineStatus: _, lastSeenAt: __, ...rest }) => rest)).toEqual(expected);
    expect(reopened.contacts.get(carol.publicKey)?.verified).toBe(true);
    expect(reopened.settings.get('appearance.theme')).toBe('dark');
    expect(reopened.settings.get('presence.status')).toBe('busy');
    expect(reopened.settings.get('network.signalingUrls')).toEqual(['wss://signal.example.org']);
    reopened.close();
  });

  it('a version 1 backup (identity only) still restores', async () => {
    const bytes = readFileSync(V1_FIXTURE);
    const dir = join(tempDir(), 'restored');
    const restored = await Vault.restoreFromBackup({ dir, backupBytes: bytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: OTHER_PASSPHRASE, ...cheap });
    expect(restored.identity.displayName).toBe('Version One');
    expect(restored.identity.exportSeed()).toEqual(new Uint8Array(32).map((_, i) => i + 1));
    expect(restored.contacts.list()).toEqual([]);
    restored.close();
  });

  it('CONT-06: the blocked users and who had added the user back travel too: a restore neither unblocks anyone nor makes mutual contacts pending', async () => {
    const source = await createTestVault(tempDir(), { now: () => 1_700_000_000_000 });
    const bob = source.contacts.add(key(2), { nickname: 'Bob' });
    const carol = source.contacts.add(key(3));
    source.contacts.markAddedBack(bob.publicKey, 'presence');
    const mallory = ed25519.getPublicKey(new Uint8Array(32).fill(5));
    source.requests.block(Buffer.from(mallory).toString('hex'), 'Mallory', 42);
    const bytes = await source.exportBackup(BACKUP_PASSPHRASE, cheap);
    source.close();
    expect(Buffer.from(bytes).toString('utf8')).not.toContain('Mallory');
    const restored = await Vault.restoreFromBackup({ dir: join(tempDir(), 'r'), backupBytes: bytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: OTHER_PASSPHRASE, ...cheap });
    expect(restored.contacts.get(bob.publicKey)?.pending).toBe(false);
    expect(restored.contacts.get(carol.publicKey)?.pending).toBe(true);
    expect(restored.requests.blocked()).toEqual([{ publicKey: Buffer.from(mallory).toString('hex'), userId: encodeUserId(mallory), label: 'Mallory', blockedAt: 42 }]);
    expect(() => restored.contacts.add(encodeUserId(mallory))).toThrow(expect.objectContaining({ code: 'CONTACT_BLOCKED' }));
    restored.close();
  });

  it('a contact or setting this version refuses is skipped; the rest of the profile is restored', async () => {
    const seed = new Uint8Array(32).fill(7);
    const bytes = await encryptBackup(
      {
        seed,
        displayName: 'Eve',
        contacts: [
          { userId: key(2), nickname: 'Bob', verified: true, addedAt: 1 },
          { userId: 'dopus1notanid', nickname: null, verified: false, addedAt: 2 },
          { userId: key(3), nickname: '\u0007bell', verified: false, addedAt: 3 },
        ],
        blocked: [{ userId: 'dopus1notanid', label: 'x', blockedAt: 1 }],
        settings: { 'appearance.theme': 'light', 'some.future.setting': true, 'presence.status': 'sleepy' },
      },
      BACKUP_PASSPHRASE,
      cheap,
    );
    const restored = await Vault.restoreFromBackup({ dir: join(tempDir(), 'r'), backupBytes: bytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: OTHER_PASSPHRASE, ...cheap });
    expect(restored.contacts.list().map((c) => [c.nickname, c.verified, c.addedAt])).toEqual([['Bob', true, 1]]);
    expect(restored.settings.get('appearance.theme')).toBe('light');
    expect(restored.settings.get('presence.status')).toBe('online');
    restored.close();
  });

  it('a backup too large for one file is refused at export with BACKUP_TOO_LARGE', async () => {
    const contacts = Array.from({ length: 5_000 }, (_, i) => ({ userId: key(1 + (i % 200)), nickname: 'n'.repeat(64), verified: false, addedAt: i }));
    const err = await caught(() => encryptBackup({ seed: new Uint8Array(32), displayName: 'x', contacts, blocked: [], settings: {} }, BACKUP_PASSPHRASE, cheap));
    expect(err).toMatchObject({ code: 'BACKUP_TOO_LARGE', message: expect.stringContaining(`at most ${BACKUP_MAX_BYTES} bytes`) });
    await expect(decryptBackup(new Uint8Array(BACKUP_MAX_BYTES + 1), BACKUP_PASSPHRASE)).rejects.toMatchObject({ code: 'BACKUP_TOO_LARGE' });
    // The largest backup still fits the bridge's restore call.
    expect(Math.ceil(BACKUP_MAX_BYTES / 3) * 4).toBeLessThanOrEqual(BRIDGE_LIMITS.backupBase64Chars);
  });
});

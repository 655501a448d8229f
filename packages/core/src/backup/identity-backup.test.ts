import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { caught, createTestVault, OTHER_PASSPHRASE, PASSPHRASE } from '../../test/helpers/test-vault';
import { DEFAULT_SCRYPT, TEST_ONLY_CHEAP_SCRYPT } from '../vault/kdf';
import { Vault } from '../vault/vault';
import { BACKUP_MAX_BYTES, decryptBackup, encryptBackup } from './identity-backup';

const BACKUP_PASSPHRASE = 'mango telescope gravel sunrise';
const cheap = { kdf: TEST_ONLY_CHEAP_SCRYPT };

async function exportedBackup(): Promise<{ bytes: Uint8Array; userId: string; seed: Uint8Array }> {
  const vault = await createTestVault(tempDir());
  const bytes = await vault.exportBackup(BACKUP_PASSPHRASE, cheap);
  const { userId } = vault.identity;
  const seed = vault.identity.exportSeed();
  vault.close();
  return { bytes, userId, seed };
}

function edit(bytes: Uint8Array, change: (json: Record<string, unknown>) => void): Uint8Array {
  const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  change(json);
  return Buffer.from(JSON.stringify(json));
}

describe('identity backup (IDEN-03)', () => {
  it('IDEN-03: exports to a passphrase-protected file and restores into a fresh profile with the same identity', async () => {
    const { bytes, userId, seed } = await exportedBackup();
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).not.toContain(Buffer.from(seed).toString('hex'));
    expect(text).not.toContain(Buffer.from(seed).toString('base64url'));
    expect(text).not.toContain('Alice');
    expect(JSON.parse(text)).toMatchObject({ format: 'discordopus-identity-backup', version: 3, kdf: { name: 'scrypt' } });

    const dir = join(tempDir(), 'restored');
    const restored = await Vault.restoreFromBackup({ dir, backupBytes: bytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: OTHER_PASSPHRASE, ...cheap });
    expect(restored.identity.userId).toBe(userId);
    expect(restored.identity.displayName).toBe('Alice');
    expect(restored.contacts.list()).toEqual([]);
    restored.close();
    const reopened = await Vault.unlock({ dir, passphrase: OTHER_PASSPHRASE });
    expect(reopened.identity.exportSeed()).toEqual(seed);
    reopened.close();
  });

  it('IDEN-03: the real default KDF cost round-trips', async () => {
    const seed = new Uint8Array(32).fill(9);
    const contents = { seed, displayName: 'Dora', contacts: [], blocked: [], settings: { 'appearance.theme': 'dark' } };
    const bytes = await encryptBackup(contents, BACKUP_PASSPHRASE);
    expect(JSON.parse(Buffer.from(bytes).toString()).kdf).toMatchObject(DEFAULT_SCRYPT);
    expect(await decryptBackup(bytes, BACKUP_PASSPHRASE)).toEqual(contents);
  });

  it('IDEN-03: a wrong backup passphrase is WRONG_PASSPHRASE, and no profile is made', async () => {
    const { bytes } = await exportedBackup();
    const dir = join(tempDir(), 'restored');
    const err = await caught(() => Vault.restoreFromBackup({ dir, backupBytes: bytes, backupPassphrase: 'not the backup passphrase', passphrase: PASSPHRASE }));
    expect(err).toMatchObject({ code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/backup passphrase is wrong/) });
    expect(Vault.exists(dir)).toBe(false);
  });

  it('IDEN-03: a tampered backup is BACKUP_TAMPERED: ciphertext, nonce, header fields', async () => {
    const { bytes } = await exportedBackup();
    const flipChar = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const tampered = [
      edit(bytes, (j) => (j.ciphertext = flipChar(j.ciphertext as string, 10))),
      edit(bytes, (j) => ((j.cipher as { nonce: string }).nonce = flipChar((j.cipher as { nonce: string }).nonce, 3))),
      edit(bytes, (j) => (j.createdAt = '2020-01-01T00:00:00.000Z')),
      edit(bytes, (j) => (j.ciphertext = (j.ciphertext as string).slice(0, 12))),
    ];
    for (const file of tampered) expect(await caught(() => decryptBackup(file, BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_TAMPERED' });
    // A changed KDF field derives another key: indistinguishable from a wrong passphrase, and refused as one.
    const saltChanged = edit(bytes, (j) => ((j.kdf as { salt: string }).salt = flipChar((j.kdf as { salt: string }).salt, 2)));
    expect(await caught(() => decryptBackup(saltChanged, BACKUP_PASSPHRASE))).toMatchObject({ code: 'WRONG_PASSPHRASE' });
  });

  it('validates the file before any work: size, JSON, schema, version', async () => {
    const { bytes } = await exportedBackup();
    expect(await caught(() => decryptBackup(new Uint8Array(BACKUP_MAX_BYTES + 1), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_TOO_LARGE' });
    expect(await caught(() => decryptBackup(Buffer.from('not json'), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await caught(() => decryptBackup(Buffer.from([0xff, 0xfe]), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await caught(() => decryptBackup(Buffer.from('{"hello":1}'), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_INVALID' });
    expect(await caught(() => decryptBackup(edit(bytes, (j) => (j.version = 4)), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_UNSUPPORTED' });
    // The version is authenticated: a version 2 file relabelled as version 1 is refused.
    expect(await caught(() => decryptBackup(edit(bytes, (j) => (j.version = 1)), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_TAMPERED' });
    expect(await caught(() => decryptBackup(edit(bytes, (j) => (j.extra = 1)), BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_INVALID' });
    // A file asking for an absurd KDF cost is refused before the KDF runs.
    const greedy = edit(bytes, (j) => ((j.kdf as { N: number }).N = 2 ** 30));
    expect(await caught(() => decryptBackup(greedy, BACKUP_PASSPHRASE))).toMatchObject({ code: 'BACKUP_INVALID' });
  });

  it('IDEN-03: export needs a strong passphrase; restore refuses an existing profile', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    expect(await caught(() => vault.exportBackup('short'))).toMatchObject({ code: 'WEAK_PASSPHRASE' });
    const bytes = await vault.exportBackup(BACKUP_PASSPHRASE, cheap);
    vault.close();
    expect(await caught(() => Vault.restoreFromBackup({ dir, backupBytes: bytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: PASSPHRASE }))).toMatchObject({
      code: 'VAULT_EXISTS',
    });
  });
});

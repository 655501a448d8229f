import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { caught, createTestVault, OTHER_PASSPHRASE, PASSPHRASE } from '../../test/helpers/test-vault';
import { expectSameFiles, snapshotFiles, tempDir } from '../../test/helpers/temp-dir';
import { Identity } from '../identity/identity';
import { DEFAULT_SCRYPT, deriveKey } from './kdf';
import { KEY_FILE_NAME, readKeyFile } from './key-file';
import { openEncrypted } from './sqlcipher';
import { DB_FILE_NAME, Vault } from './vault';

describe('Vault: create and unlock (VAULT-01, IDEN-01)', () => {
  it('VAULT-01: with the real default KDF cost, the identity survives close and unlock', async () => {
    const dir = tempDir();
    const created = await Vault.create({ dir, passphrase: PASSPHRASE, displayName: 'Alice' });
    const { userId } = created.identity;
    created.close();
    expect(readKeyFile(join(dir, KEY_FILE_NAME)).params).toEqual(DEFAULT_SCRYPT);
    expect(DEFAULT_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 17);

    const vault = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(vault.identity.userId).toBe(userId);
    expect(vault.identity.displayName).toBe('Alice');
    vault.close();
  });

  it('refuses to create over an existing vault, and to unlock where there is none', async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    const before = snapshotFiles(dir);
    expect(await caught(() => createTestVault(dir))).toMatchObject({ code: 'VAULT_EXISTS' });
    expectSameFiles(before, snapshotFiles(dir));
    expect(await caught(() => Vault.unlock({ dir: join(dir, 'nope'), passphrase: PASSPHRASE }))).toMatchObject({
      code: 'VAULT_NOT_FOUND',
    });
  });

  it('VAULT-01: an empty or weak passphrase is refused with a clear message, and nothing is created', async () => {
    const dir = tempDir();
    for (const passphrase of ['', 'short', 'password123', 'aaaaaaaaaaaa', 'Alice Alice']) {
      const err = await caught(() => createTestVault(dir, { passphrase }));
      expect(err).toMatchObject({ code: 'WEAK_PASSPHRASE' });
      expect((err as Error).message).toMatch(/passphrase/i);
    }
    expect(Vault.exists(dir)).toBe(false);
  });

  it('keeps the display name; a rename is stored', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    vault.setDisplayName('  Alicia ');
    vault.close();
    const again = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(again.identity.displayName).toBe('Alicia');
    again.close();
  });

  it('a closed vault says so, and close is idempotent', async () => {
    const vault = await createTestVault(tempDir());
    vault.close();
    vault.close();
    expect(() => vault.identity).toThrow(expect.objectContaining({ code: 'VAULT_CLOSED' }));
    expect(() => vault.contacts.list()).toThrow(expect.objectContaining({ code: 'VAULT_CLOSED' }));
    expect(await caught(() => vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE))).toMatchObject({ code: 'VAULT_CLOSED' });
  });
});

describe('Vault: wrong passphrase and passphrase change (VAULT-02)', () => {
  it('VAULT-02: a wrong passphrase fails with WRONG_PASSPHRASE and leaves every file byte-identical', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    vault.contacts.add(Identity.create('Bob').userId);
    vault.close();
    const before = snapshotFiles(dir);
    expect(before.has(DB_FILE_NAME)).toBe(true);

    const err = await caught(() => Vault.unlock({ dir, passphrase: 'not the right passphrase' }));
    expect(err).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect((err as Error).message).toMatch(/passphrase is wrong/);
    expectSameFiles(before, snapshotFiles(dir));

    // …and the right one still works: the failed attempt released the profile.
    (await Vault.unlock({ dir, passphrase: PASSPHRASE })).close();
  });

  it('VAULT-02: after a change the new passphrase opens the vault with its data, and the old one fails', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    const bob = Identity.create('Bob');
    vault.contacts.add(bob.userId, { nickname: 'Bobby' });
    vault.settings.set('appearance.theme', 'dark');
    const userId = vault.identity.userId;

    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    // The same Vault keeps working on the re-encrypted file.
    vault.contacts.add(Identity.create('Carol').userId);
    expect(vault.contacts.count).toBe(2);
    vault.close();
    expect(existsSync(join(dir, `${DB_FILE_NAME}.rekey`))).toBe(false);

    expect(await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }))).toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const reopened = await Vault.unlock({ dir, passphrase: OTHER_PASSPHRASE });
    expect(reopened.identity.userId).toBe(userId);
    expect(reopened.contacts.list().map((c) => c.nickname)).toEqual(['Bobby', null]);
    expect(reopened.settings.get('appearance.theme')).toBe('dark');
    reopened.close();
  });

  it('VAULT-02: a change needs the current passphrase and a strong new one', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    expect(await caught(() => vault.changePassphrase('not the passphrase', OTHER_PASSPHRASE))).toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    expect(await caught(() => vault.changePassphrase(PASSPHRASE, 'qwertyuiop'))).toMatchObject({ code: 'WEAK_PASSPHRASE' });
    vault.close();
    (await Vault.unlock({ dir, passphrase: PASSPHRASE })).close();
  });
});

describe('Vault: format guards', () => {
  it('VAULT-03: a vault from a newer version is refused with VAULT_TOO_NEW and left byte-identical', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    vault.close();
    const keyFile = readKeyFile(join(dir, KEY_FILE_NAME));
    const key = await deriveKey(PASSPHRASE, keyFile.salt, keyFile.params);
    const db = openEncrypted(join(dir, DB_FILE_NAME), key, { create: false });
    db.pragma('user_version = 99');
    db.close();
    const before = snapshotFiles(dir);

    const err = await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }));
    expect(err).toMatchObject({ code: 'VAULT_TOO_NEW' });
    expect((err as Error).message).toMatch(/newer DiscordOpus \(schema 99/);
    expectSameFiles(before, snapshotFiles(dir));
  });

  it('fails closed on a plain (unencrypted) SQLite file in place of the vault', async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    rmSync(join(dir, DB_FILE_NAME));
    const plain = new Database(join(dir, DB_FILE_NAME));
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    expect(await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }))).toMatchObject({ code: 'VAULT_NOT_ENCRYPTED' });
  });

  it('an emptied vault file is VAULT_CORRUPT, never silently re-created under the typed passphrase', async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    writeFileSync(join(dir, DB_FILE_NAME), '');
    expect(await caught(() => Vault.unlock({ dir, passphrase: OTHER_PASSPHRASE }))).toMatchObject({ code: 'VAULT_CORRUPT' });
    expect(statSync(join(dir, DB_FILE_NAME)).size).toBe(0);
  });

  it('a damaged key parameters file is a clear error, not a crash', async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    writeFileSync(join(dir, KEY_FILE_NAME), JSON.stringify({ format: 'discordopus-vault-kdf', version: 1, kdf: 'scrypt', params: { N: 2 ** 30, r: 8, p: 1 }, salt: 'AAAA' }));
    expect(await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }))).toMatchObject({ code: 'BAD_KEY_FILE' });
    writeFileSync(join(dir, KEY_FILE_NAME), 'not json');
    expect(await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }))).toMatchObject({ code: 'BAD_KEY_FILE' });
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Identity } from '../identity/identity';
import { SqlcipherReader } from '../../test/helpers/sqlcipher-reader';
import { caught, createTestVault, OTHER_PASSPHRASE, PASSPHRASE, rawKeyHex } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { SCHEMA_VERSION } from './migrations/index';
import { DB_FILE_NAME, Vault } from './vault';

describe('file format, proved by an independent SQLCipher 4 build (VAULT-01)', () => {
  it('VAULT-01: @journeyapps/sqlcipher opens the vault with the same key material and reads the same rows', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    const bob = Identity.create('Bob');
    const carol = Identity.create('Carol');
    vault.contacts.add(bob.userId, { nickname: 'Bobby' });
    vault.contacts.add(carol.userId);
    vault.contacts.setVerified(vault.contacts.list()[1]!.publicKey, true);
    vault.settings.set('presence.status', 'busy');
    const message = vault.messages.send(Buffer.from(bob.publicKey).toString('hex'), 'Hello, Bob');
    const identity = vault.identity;
    const contacts = vault.contacts.list();
    vault.close();

    const reader = await SqlcipherReader.open(join(dir, DB_FILE_NAME), await rawKeyHex(dir, PASSPHRASE));
    try {
      expect(await reader.all('PRAGMA cipher_version')).toEqual([{ cipher_version: expect.stringMatching(/^4\./) }]);
      const [row] = await reader.all<{ public_key: Buffer; seed: Buffer; display_name: string }>(
        'SELECT public_key, seed, display_name FROM identity',
      );
      expect(Buffer.from(row!.public_key).equals(Buffer.from(identity.publicKey))).toBe(true);
      expect(Buffer.from(row!.seed).equals(Buffer.from(identity.exportSeed()))).toBe(true);
      expect(row!.display_name).toBe('Alice');

      const rows = await reader.all<{ public_key: Buffer; nickname: string | null; verified: number; added_at: number }>(
        'SELECT public_key, nickname, verified, added_at FROM contacts ORDER BY id',
      );
      expect(
        rows.map((r) => ({ publicKey: Buffer.from(r.public_key).toString('hex'), nickname: r.nickname, verified: r.verified === 1, addedAt: r.added_at })),
      ).toEqual(contacts.map((c) => ({ publicKey: c.publicKey, nickname: c.nickname, verified: c.verified, addedAt: c.addedAt })));
      expect(await reader.all('SELECT key, value FROM settings')).toEqual([{ key: 'presence.status', value: '"busy"' }]);
      // Messages (MSG-01) are plain rows of the same file; the other build need not know FTS5 to read them.
      const [stored] = await reader.all<{ id: Buffer; text: string; seq: number }>('SELECT id, text, seq FROM messages');
      expect([Buffer.from(stored!.id).toString('base64url'), stored!.text, stored!.seq]).toEqual([message.id, 'Hello, Bob', 1]);
      expect(await reader.all('PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
      expect(await reader.all('PRAGMA cipher_integrity_check')).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('VAULT-01: the independent reader refuses wrong key material (the key really is what protects the file)', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    vault.contacts.add(Identity.create('Bob').userId);
    vault.close();
    const wrong = await SqlcipherReader.open(join(dir, DB_FILE_NAME), await rawKeyHex(dir, OTHER_PASSPHRASE));
    expect(await caught(() => wrong.all('SELECT count(*) FROM contacts'))).toMatchObject({ message: expect.stringMatching(/not a database/) });
    await wrong.close();
  });

  it('VAULT-02: after a passphrase change the independent reader needs the new key material', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    vault.contacts.add(Identity.create('Bob').userId, { nickname: 'kept' });
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    vault.close();

    const reader = await SqlcipherReader.open(join(dir, DB_FILE_NAME), await rawKeyHex(dir, OTHER_PASSPHRASE));
    expect(await reader.all('SELECT nickname FROM contacts')).toEqual([{ nickname: 'kept' }]);
    expect(await reader.all('PRAGMA cipher_integrity_check')).toEqual([]);
    await reader.close();
    const old = await SqlcipherReader.open(join(dir, DB_FILE_NAME), await rawKeyHex(dir, PASSPHRASE));
    expect(await caught(() => old.all('SELECT count(*) FROM contacts'))).toBeInstanceOf(Error);
    await old.close();
    expect(Vault.exists(dir)).toBe(true);
  });
});

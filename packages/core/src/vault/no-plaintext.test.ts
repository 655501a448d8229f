import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Identity } from '../identity/identity';
import { createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { DB_FILE_NAME, Vault } from './vault';

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Every byte of every file in the profile folder, in the encodings a marker could appear in. */
function expectNoMarker(dir: string, markers: string[]): string[] {
  const names = readdirSync(dir);
  for (const name of names) {
    const bytes = readFileSync(join(dir, name));
    for (const marker of markers) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        expect(bytes.includes(Buffer.from(marker, encoding)), `${marker} (${encoding}) found in ${name}`).toBe(false);
      }
    }
  }
  return names;
}

describe('no plaintext on disk (VAULT-01)', () => {
  it('VAULT-01: markers in a nickname, a setting, the display name and the seed never reach any file in the profile, WAL included', async () => {
    const dir = tempDir();
    const nickname = 'ZQX-nickname-marker-7731';
    const url = 'wss://zqx-setting-marker-7731.example/';
    const vault = await createTestVault(dir, { displayName: 'ZQX-display-marker' });
    const seedHex = Buffer.from(vault.identity.exportSeed()).toString('hex');
    const seed = Buffer.from(vault.identity.exportSeed());
    const peer = Identity.create('Bob');
    vault.contacts.add(peer.userId, { nickname });
    vault.settings.set('network.signalingUrls', [url]);
    for (let i = 0; i < 50; i++) vault.contacts.add(Identity.create('x').userId, { nickname: `${nickname}-${i}` });

    // While open: the WAL holds the recent commits.
    const markers = [nickname, url, 'zqx-setting-marker', 'ZQX-display-marker', seedHex, peer.userId];
    const whileOpen = expectNoMarker(dir, markers);
    expect(whileOpen).toContain(`${DB_FILE_NAME}-wal`);
    // The WAL index lives in process memory (exclusive locking mode): there is no -shm to leak.
    expect(whileOpen).not.toContain(`${DB_FILE_NAME}-shm`);
    for (const name of whileOpen) expect(readFileSync(join(dir, name)).includes(seed), `seed in ${name}`).toBe(false);
    expect(readFileSync(join(dir, DB_FILE_NAME)).subarray(0, 16).equals(PLAIN_HEADER)).toBe(false);

    vault.close();
    expectNoMarker(dir, markers);
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).includes(seed), `seed in ${name}`).toBe(false);
    expect(readFileSync(join(dir, DB_FILE_NAME)).subarray(0, 16).equals(PLAIN_HEADER)).toBe(false);

    // The markers are really stored: the vault reads them back.
    const reopened = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(reopened.contacts.list()[0]?.nickname).toBe(nickname);
    expect(reopened.settings.get('network.signalingUrls')).toEqual([url]);
    reopened.close();
  });

  it('VAULT-01, MSG-05: message text, its edits, reactions and the full-text index never reach any file in the profile', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    const bob = Buffer.from(Identity.create('Bob').publicKey).toString('hex');
    const text = 'ZQX-message-marker-5521 quarterly numbers';
    const edit = 'ZQX-edit-marker-5521';
    const m = vault.messages.send(bob, text);
    vault.messages.sendMany(bob, Array.from({ length: 200 }, (_, i) => `ZQX-bulk-marker-${i} with words to index`));
    vault.messages.edit(bob, m.id, `${edit} quarterly numbers`);
    vault.messages.toggleReaction(bob, m.id, '🦄');
    // The search index holds the words: they must be as unreadable as the text.
    expect(vault.messages.search(bob, 'quarterly').map((x) => x.id)).toEqual([m.id]);
    const markers = ['ZQX-message-marker', 'ZQX-edit-marker', 'ZQX-bulk-marker', 'quarterly', '🦄'];
    expect(expectNoMarker(dir, markers)).toContain(`${DB_FILE_NAME}-wal`);
    vault.close();
    expectNoMarker(dir, markers);

    const reopened = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(reopened.messages.get(bob, m.id)).toMatchObject({ text: `${edit} quarterly numbers`, reactions: [{ emoji: '🦄' }] });
    expect(reopened.messages.search(bob, 'bulk marker 199 words')).toHaveLength(1);
    reopened.close();
  });

  it('VAULT-01: a re-encrypted vault (after a passphrase change) holds no plaintext either', async () => {
    const dir = tempDir();
    const nickname = 'ZQX-rekey-marker-4410';
    const vault = await createTestVault(dir);
    vault.contacts.add(Identity.create('Bob').userId, { nickname });
    await vault.changePassphrase(PASSPHRASE, 'purple elephant violin tuesday');
    vault.contacts.add(Identity.create('Carol').userId, { nickname: `${nickname}-2` });
    expectNoMarker(dir, [nickname]);
    vault.close();
    expectNoMarker(dir, [nickname]);
    expect(readFileSync(join(dir, DB_FILE_NAME)).subarray(0, 16).equals(PLAIN_HEADER)).toBe(false);
  });
});

import { shortUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { SqlcipherReader } from '../../test/helpers/sqlcipher-reader';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault, PASSPHRASE, rawKeyHex } from '../../test/helpers/test-vault';
import { Identity } from '../identity/identity';
import { signProfileCard } from '../identity/profile-card';
import { DB_FILE_NAME, Vault } from '../vault/vault';
import type { ContactsEvents } from './contacts-store';

type Change = Parameters<ContactsEvents['changed']>[0];
const NOW = 1_767_225_600_000;

async function world() {
  const vault = await createTestVault(tempDir(), { now: () => NOW });
  const bob = Identity.create('Bob');
  const bobKey = Buffer.from(bob.publicKey).toString('hex');
  vault.contacts.add(bob.userId);
  const changes: Change[] = [];
  vault.contacts.on('changed', (e) => changes.push(e));
  const card = (displayName: string, updatedAtMs: number, by = bob) => signProfileCard({ identity: by, displayName, updatedAtMs });
  return { vault, bob, bobKey, changes, card };
}

describe("contacts' signed display names (P2P-05)", () => {
  it("P2P-05: a verified card sets the contact's display name, shown unless a nickname overrides it", async () => {
    const { vault, bob, bobKey, changes, card } = await world();
    expect(vault.contacts.get(bobKey)).toMatchObject({ displayName: null, displayNameUpdatedAt: null, shownName: shortUserId(bob.userId) });
    const applied = vault.contacts.applyProfileCard(bobKey, card('Robert', NOW - 5));
    expect(applied).toMatchObject({ applied: true, contact: { displayName: 'Robert', displayNameUpdatedAt: NOW - 5, shownName: 'Robert' } });
    expect(changes).toEqual([{ reason: 'updated', publicKey: bobKey }]);
    vault.contacts.setNickname(bobKey, 'Bobby');
    expect(vault.contacts.get(bobKey)).toMatchObject({ nickname: 'Bobby', displayName: 'Robert', shownName: 'Bobby' });
    vault.contacts.setNickname(bobKey, null);
    expect(vault.contacts.get(bobKey)?.shownName).toBe('Robert');
    vault.close();
  });

  it('CONT-06, P2P-05: a card that verifies under the contact’s key is evidence they added the user back (pending ends); a refused one is not', async () => {
    const { vault, bobKey, card } = await world();
    expect(vault.contacts.get(bobKey)?.pending).toBe(true);
    expect(vault.contacts.applyProfileCard(bobKey, card('Mallory', NOW - 5, Identity.create('Mallory')))).toMatchObject({ applied: false });
    expect(vault.contacts.get(bobKey)?.pending).toBe(true);
    expect(vault.contacts.applyProfileCard(bobKey, card('Robert', NOW - 5))).toMatchObject({ applied: true });
    expect(vault.contacts.get(bobKey)?.pending).toBe(false);
    vault.close();
  });

  it('P2P-05: only a newer card replaces the stored one; an older or equal one is NOT_NEWER', async () => {
    const { vault, bobKey, changes, card } = await world();
    expect(vault.contacts.applyProfileCard(bobKey, card('Bob two', NOW - 10)).applied).toBe(true);
    expect(vault.contacts.applyProfileCard(bobKey, card('Bob one', NOW - 20))).toEqual({ applied: false, reason: 'NOT_NEWER' });
    expect(vault.contacts.applyProfileCard(bobKey, card('Bob same time', NOW - 10))).toEqual({ applied: false, reason: 'NOT_NEWER' });
    expect(vault.contacts.get(bobKey)?.displayName).toBe('Bob two');
    expect(vault.contacts.applyProfileCard(bobKey, card('Bob three', NOW)).applied).toBe(true);
    expect(vault.contacts.get(bobKey)?.displayName).toBe('Bob three');
    expect(changes).toHaveLength(2);
    vault.close();
  });

  it('P2P-05: a card not signed by the contact, a tampered one, a future one or a stranger\'s is refused and changes nothing', async () => {
    const { vault, bobKey, changes, card } = await world();
    const mallory = Identity.create('Mallory');
    expect(vault.contacts.applyProfileCard(bobKey, card('Bob', NOW, mallory))).toEqual({ applied: false, reason: 'BAD_SIGNATURE' });
    expect(vault.contacts.applyProfileCard(bobKey, { ...card('Bob', NOW), displayName: 'Admin' })).toEqual({ applied: false, reason: 'BAD_SIGNATURE' });
    expect(vault.contacts.applyProfileCard(bobKey, card('Bob', NOW + 3_600_000))).toEqual({ applied: false, reason: 'FROM_THE_FUTURE' });
    const strangerKey = Buffer.from(mallory.publicKey).toString('hex');
    expect(vault.contacts.applyProfileCard(strangerKey, card('Mallory', NOW, mallory))).toEqual({ applied: false, reason: 'NOT_A_CONTACT' });
    expect(vault.contacts.get(bobKey)).toMatchObject({ displayName: null, displayNameUpdatedAt: null });
    expect(changes).toEqual([]);
    vault.close();
  });

  it('P2P-05, VAULT-01: the card is stored in the vault with its signature, survives a reopen and goes with the contact', async () => {
    const { vault, bobKey, bob, card } = await world();
    const sent = card('Robert', NOW - 1);
    vault.contacts.applyProfileCard(bobKey, sent);
    const dir = vault.dir;
    vault.close();

    const reader = await SqlcipherReader.open(`${dir}/${DB_FILE_NAME}`, await rawKeyHex(dir, PASSPHRASE));
    try {
      const [row] = await reader.all<{ display_name: string; display_name_updated_at: number; display_name_signature: Buffer }>(
        'SELECT display_name, display_name_updated_at, display_name_signature FROM contacts',
      );
      expect(row?.display_name).toBe('Robert');
      expect(row?.display_name_updated_at).toBe(NOW - 1);
      expect(Buffer.from(row?.display_name_signature ?? []).toString('base64url')).toBe(sent.signature);
    } finally {
      await reader.close();
    }

    const again = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(again.contacts.get(bobKey)).toMatchObject({ displayName: 'Robert', shownName: 'Robert' });
    again.contacts.remove(bobKey);
    again.contacts.add(bob.userId);
    expect(again.contacts.get(bobKey)).toMatchObject({ displayName: null, shownName: shortUserId(bob.userId) });
    again.close();
  });
});

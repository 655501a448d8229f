import { encodeUserId, hexToBytes, SMALL_ORDER_KEYS, smallOrderAliases } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { codeOf, createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { Identity } from '../identity/identity';
import { Vault } from '../vault/vault';
import type { ContactsEvents } from './contacts-store';

type Change = Parameters<ContactsEvents['changed']>[0];

async function openVault(now?: () => number): Promise<{ vault: Vault; changes: Change[] }> {
  const vault = await createTestVault(tempDir(), now ? { now } : {});
  const changes: Change[] = [];
  vault.contacts.on('changed', (e) => changes.push(e));
  return { vault, changes };
}

describe('contacts (CONT-01..05)', () => {
  it('CONT-01, CONT-02: adds by user ID and lists in a stable order with every field', async () => {
    let clock = 1_000;
    const { vault, changes } = await openVault(() => clock);
    clock = 2_000;
    const bob = Identity.create('Bob');
    const carol = Identity.create('Carol');
    const added = vault.contacts.add(`  ${bob.userId.toUpperCase()}\n`, { nickname: ' Bobby ' });
    clock = 3_000;
    vault.contacts.add(carol.userId);

    const bobKey = Buffer.from(bob.publicKey).toString('hex');
    expect(added).toEqual({
      publicKey: bobKey,
      userId: bob.userId,
      nickname: 'Bobby',
      displayName: null,
      displayNameUpdatedAt: null,
      shownName: 'Bobby',
      verified: false,
      onlineStatus: 'unknown',
      lastSeenAt: null,
      addedAt: 2_000,
      pending: true,
    });
    expect(vault.contacts.list().map((c) => c.userId)).toEqual([bob.userId, carol.userId]);
    expect(vault.contacts.list()[1]).toMatchObject({ nickname: null, addedAt: 3_000 });
    expect(vault.contacts.get(bobKey.toUpperCase())?.userId).toBe(bob.userId);
    expect(vault.contacts.get('00'.repeat(32))).toBeNull();
    expect(changes).toEqual([
      { reason: 'added', publicKey: bobKey },
      { reason: 'added', publicKey: Buffer.from(carol.publicKey).toString('hex') },
    ]);
    // Stable across reopen, in insertion order.
    vault.close();
    const again = await Vault.unlock({ dir: vault.dir, passphrase: PASSPHRASE });
    expect(again.contacts.list().map((c) => c.userId)).toEqual([bob.userId, carol.userId]);
    again.close();
  });

  it('CONT-01: a bad ID surfaces its user-ID error code; your own ID and a duplicate have their own', async () => {
    const { vault, changes } = await openVault();
    const bob = Identity.create('Bob');
    expect(codeOf(() => vault.contacts.add(bob.userId.slice(0, -1)))).toBe('USER_ID_BAD_LENGTH');
    const last = bob.userId.at(-1) === 'q' ? 'p' : 'q';
    expect(codeOf(() => vault.contacts.add(bob.userId.slice(0, -1) + last))).toBe('USER_ID_BAD_CHECKSUM');
    expect(codeOf(() => vault.contacts.add(''))).toBe('USER_ID_EMPTY');
    expect(codeOf(() => vault.contacts.add(vault.identity.userId))).toBe('CONTACT_IS_SELF');
    vault.contacts.add(bob.userId);
    expect(codeOf(() => vault.contacts.add(bob.userId.toUpperCase()))).toBe('CONTACT_EXISTS');
    expect(codeOf(() => vault.contacts.add(Identity.create('C').userId, { nickname: '\u0007' }))).toBe('BAD_NICKNAME');
    expect(vault.contacts.count).toBe(1);
    expect(changes).toHaveLength(1);
    vault.close();
  });

  it('CONT-01, INFR-04: an ID naming a small-order key or an alias of one is CONTACT_KEY_UNUSABLE with a sentence', async () => {
    const { vault, changes } = await openVault();
    for (const hex of [...SMALL_ORDER_KEYS, ...smallOrderAliases()]) {
      let error: unknown;
      try {
        vault.contacts.add(encodeUserId(hexToBytes(hex)));
      } catch (err) {
        error = err;
      }
      expect(error, hex).toMatchObject({ code: 'CONTACT_KEY_UNUSABLE', message: expect.stringContaining('usable identity key') });
    }
    // Not on the curve at all (y = 2): refused the same way.
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    expect(codeOf(() => vault.contacts.add(encodeUserId(offCurve)))).toBe('CONTACT_KEY_UNUSABLE');
    expect(vault.contacts.count).toBe(0);
    expect(changes).toEqual([]);
    vault.close();
  });

  it('CONT-04: nickname is trimmed, 1–64 characters, no control characters; null clears it', async () => {
    const { vault, changes } = await openVault();
    const { publicKey } = vault.contacts.add(Identity.create('Bob').userId);
    expect(vault.contacts.setNickname(publicKey, '  Bob the builder  ').nickname).toBe('Bob the builder');
    expect(vault.contacts.setNickname(publicKey, 'é'.repeat(64)).nickname).toBe('é'.repeat(64));
    for (const bad of ['', '   ', 'x'.repeat(65), 'a\nb', 'tab\there', 'evil\u202etxt.exe', 'a\u2066b']) {
      expect(codeOf(() => vault.contacts.setNickname(publicKey, bad)), JSON.stringify(bad)).toBe('BAD_NICKNAME');
    }
    expect(vault.contacts.get(publicKey)?.nickname).toBe('é'.repeat(64));
    expect(vault.contacts.setNickname(publicKey, null).nickname).toBeNull();
    expect(codeOf(() => vault.contacts.setNickname('ab'.repeat(32), 'x'))).toBe('CONTACT_NOT_FOUND');
    expect(codeOf(() => vault.contacts.setNickname('not hex', 'x'))).toBe('BAD_PUBLIC_KEY');
    expect(changes.filter((c) => c.reason === 'updated')).toHaveLength(3);
    vault.close();
  });

  it('CONT-04 (issue 15 item 14): a nickname or display name made only of invisible characters is refused', async () => {
    const { vault } = await openVault();
    const { publicKey } = vault.contacts.add(Identity.create('Bob').userId);
    for (const invisible of ['\u200b', '\u200b\u200c\u200d', '\u2060\ufeff', '\u00ad', '\ufe0f', '\u3164', ' \u200b ', '\u180e']) {
      expect(() => vault.contacts.setNickname(publicKey, invisible), JSON.stringify(invisible)).toThrow(
        expect.objectContaining({ code: 'BAD_NICKNAME', message: expect.stringMatching(/at least one visible character/) }),
      );
    }
    expect(codeOf(() => vault.contacts.add(Identity.create('C').userId, { nickname: '\u200b' }))).toBe('BAD_NICKNAME');
    expect(codeOf(() => Identity.create('\u200b\u200b'))).toBe('BAD_DISPLAY_NAME');
    // Visible text with joiners in it stays allowed (emoji sequences, scripts that need ZWJ/ZWNJ).
    expect(vault.contacts.setNickname(publicKey, '👩‍💻 Bob').nickname).toBe('👩‍💻 Bob');
    expect(vault.contacts.setNickname(publicKey, 'می‌خواهم').nickname).toBe('می‌خواهم');
    vault.close();
  });

  it('CONT-05: marks a contact verified and unverified, and it is stored', async () => {
    const { vault } = await openVault();
    const { publicKey } = vault.contacts.add(Identity.create('Bob').userId);
    expect(vault.contacts.setVerified(publicKey, true).verified).toBe(true);
    vault.close();
    const again = await Vault.unlock({ dir: vault.dir, passphrase: PASSPHRASE });
    expect(again.contacts.get(publicKey)?.verified).toBe(true);
    expect(again.contacts.setVerified(publicKey, false).verified).toBe(false);
    again.close();
  });

  it('CONT-03: removes a contact; removing again is CONTACT_NOT_FOUND', async () => {
    const { vault, changes } = await openVault();
    const bob = vault.contacts.add(Identity.create('Bob').userId);
    const carol = vault.contacts.add(Identity.create('Carol').userId);
    vault.contacts.updatePresence(bob.publicKey, 'online', null);
    vault.contacts.remove(bob.publicKey);
    expect(vault.contacts.list().map((c) => c.publicKey)).toEqual([carol.publicKey]);
    expect(codeOf(() => vault.contacts.remove(bob.publicKey))).toBe('CONTACT_NOT_FOUND');
    expect(changes.at(-1)).toEqual({ reason: 'removed', publicKey: bob.publicKey });
    // Re-adding starts fresh (presence unknown) and goes to the end of the list.
    const back = vault.contacts.add(encodeUserId(Buffer.from(bob.publicKey, 'hex')));
    expect(back.onlineStatus).toBe('unknown');
    expect(vault.contacts.list().map((c) => c.publicKey)).toEqual([carol.publicKey, bob.publicKey]);
    vault.close();
  });

  it('CONT-02: presence by public key; last seen is stored, status is not; markAllUnknown resets everyone', async () => {
    const { vault, changes } = await openVault();
    const bob = vault.contacts.add(Identity.create('Bob').userId);
    const carol = vault.contacts.add(Identity.create('Carol').userId);
    changes.length = 0;

    expect(vault.contacts.updatePresence(bob.publicKey, 'online', 5_000)).toBe(true);
    expect(vault.contacts.updatePresence(bob.publicKey, 'online', null)).toBe(true);
    expect(vault.contacts.updatePresence(carol.publicKey, 'away', null)).toBe(true);
    expect(vault.contacts.updatePresence(bob.publicKey, 'offline', 4_000)).toBe(true); // older time: kept 5000
    expect(vault.contacts.updatePresence('cd'.repeat(32), 'online', 1)).toBe(false); // not a contact
    expect(vault.contacts.list().map((c) => [c.onlineStatus, c.lastSeenAt])).toEqual([
      ['offline', 5_000],
      ['away', null],
    ]);
    // CONT-06: a first visible status shows they list the user too: no longer pending (an `updated`).
    expect(changes).toEqual([
      { reason: 'updated', publicKey: bob.publicKey },
      { reason: 'presence', publicKey: bob.publicKey },
      { reason: 'updated', publicKey: carol.publicKey },
      { reason: 'presence', publicKey: carol.publicKey },
      { reason: 'presence', publicKey: bob.publicKey },
    ]);
    expect(vault.contacts.list().map((c) => c.pending)).toEqual([false, false]);
    expect(codeOf(() => vault.contacts.updatePresence(bob.publicKey, 'invisible' as never, null))).toBe('BAD_STATUS');

    vault.contacts.markAllUnknown();
    expect(vault.contacts.list().map((c) => c.onlineStatus)).toEqual(['unknown', 'unknown']);
    expect(changes.at(-1)).toEqual({ reason: 'presence', publicKey: null });

    vault.contacts.updatePresence(bob.publicKey, 'busy', 9_000);
    vault.close();
    const again = await Vault.unlock({ dir: vault.dir, passphrase: PASSPHRASE });
    expect(again.contacts.get(bob.publicKey)).toMatchObject({ onlineStatus: 'unknown', lastSeenAt: 9_000 });
    again.close();
  });

  it('PRES-02: keys, presence lookup and batched presence writes for the presence layer', async () => {
    const { vault } = await openVault(() => 5_000);
    const bob = Identity.create('Bob');
    const carol = Identity.create('Carol');
    vault.contacts.add(bob.userId);
    vault.contacts.add(carol.userId);
    const [bobKey, carolKey] = [bob, carol].map((i) => Buffer.from(i.publicKey).toString('hex')) as [string, string];
    expect(vault.contacts.publicKeys()).toEqual(vault.contacts.list().map((c) => c.publicKey));
    expect(vault.contacts.presenceOf(bobKey)).toBe('unknown');
    expect(vault.contacts.presenceOf(Buffer.from(Identity.create('Stranger').publicKey).toString('hex'))).toBeNull();
    const result = vault.contacts.batch(() => {
      vault.contacts.updatePresence(bobKey, 'online', 6_000);
      vault.contacts.updatePresence(carolKey, 'offline', null);
      return 'done';
    });
    expect(result).toBe('done');
    expect(vault.contacts.presenceOf(bobKey)).toBe('online');
    expect(vault.contacts.presenceOf(carolKey)).toBe('offline');
    expect(vault.contacts.get(bobKey)?.lastSeenAt).toBe(6_000);
    vault.close();
  });
});

import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { verifyProfileCard } from '../identity/profile-card';
import { Vault } from './vault';

describe("the user's own profile card (P2P-05)", () => {
  it('P2P-05: signed by the user, dated when the name was set, the same bytes until the name changes', async () => {
    let clock = 1_000;
    const vault = await createTestVault(tempDir(), { now: () => clock });
    const first = vault.profileCard();
    expect(first).toMatchObject({ type: 'profile.card', displayName: 'Alice', updatedAtMs: 1_000 });
    expect(verifyProfileCard({ card: first, ownerPublicKey: vault.identity.publicKey, nowMs: clock }).ok).toBe(true);
    clock = 2_000;
    expect(vault.profileCard()).toEqual(first);
    vault.setDisplayName('Alice');
    expect(vault.profileCard()).toEqual(first);

    clock = 3_000;
    vault.setDisplayName('Alice L.');
    const renamed = vault.profileCard();
    expect(renamed).toMatchObject({ displayName: 'Alice L.', updatedAtMs: 3_000 });
    expect(verifyProfileCard({ card: renamed, ownerPublicKey: vault.identity.publicKey, nowMs: clock }).ok).toBe(true);

    // A clock that went back still dates a change after the previous one, so contacts take it.
    clock = 500;
    vault.setDisplayName('Al');
    expect(vault.profileCard().updatedAtMs).toBe(3_001);

    const dir = vault.dir;
    vault.close();
    const again = await Vault.unlock({ dir, passphrase: PASSPHRASE, now: () => clock });
    expect(again.profileCard()).toMatchObject({ displayName: 'Al', updatedAtMs: 3_001 });
    again.close();
  });
});

import { describe, expect, it } from 'vitest';
import { FixtureProcess } from '../../test/helpers/child-process';
import { tempDir } from '../../test/helpers/temp-dir';
import { caught, createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { ProfileLock } from './profile-lock';
import { Vault } from './vault';

describe('one running instance per profile (VAULT-04)', () => {
  it('VAULT-04: a second open in the same process gets PROFILE_IN_USE; after close it opens', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    const err = await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }));
    expect(err).toMatchObject({ code: 'PROFILE_IN_USE' });
    expect((err as Error).message).toMatch(/open in another DiscordOpus process/);
    expect(await caught(() => Vault.create({ dir, passphrase: PASSPHRASE, displayName: 'Eve' }))).toMatchObject({ code: 'PROFILE_IN_USE' });
    vault.close();
    (await Vault.unlock({ dir, passphrase: PASSPHRASE })).close();
  });

  it('VAULT-04: a second process gets PROFILE_IN_USE while the first holds the profile', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    const holder = new FixtureProcess('profile-holder.ts', [dir, PASSPHRASE]);
    try {
      await holder.waitFor((lines) => lines.includes('open'));
      expect(await caught(() => Vault.unlock({ dir, passphrase: PASSPHRASE }))).toMatchObject({ code: 'PROFILE_IN_USE' });
    } finally {
      await holder.kill();
    }
    const vault = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    const second = new FixtureProcess('profile-holder.ts', [dir, PASSPHRASE]);
    await second.waitFor((lines) => lines.some((l) => l.startsWith('error:')));
    expect(second.lines).toContain('error:PROFILE_IN_USE');
    await second.exited;
    vault.close();
  });

  it('VAULT-04: the lock of a SIGKILLed process does not block the next start', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    for (let i = 0; i < 2; i++) {
      const crashed = new FixtureProcess('profile-holder.ts', [dir, PASSPHRASE]);
      await crashed.waitFor((lines) => lines.includes('open'));
      await crashed.kill();
      const vault = await Vault.unlock({ dir, passphrase: PASSPHRASE });
      expect(vault.identity.displayName).toBe('Alice');
      vault.close();
    }
  });

  it('releases the lock on release, and only then', () => {
    const dir = tempDir();
    const lock = ProfileLock.acquire(dir);
    expect(() => ProfileLock.acquire(dir)).toThrow(expect.objectContaining({ code: 'PROFILE_IN_USE' }));
    lock.release();
    expect(lock.held).toBe(false);
    ProfileLock.acquire(dir).release();
  });
});

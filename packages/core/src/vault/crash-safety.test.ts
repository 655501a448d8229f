import { randomInt } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixtureProcess } from '../../test/helpers/child-process';
import { SqlcipherReader } from '../../test/helpers/sqlcipher-reader';
import { expectSameFiles, snapshotFiles, tempDir } from '../../test/helpers/temp-dir';
import { caught, createTestVault, OTHER_PASSPHRASE, PASSPHRASE, rawKeyHex } from '../../test/helpers/test-vault';
import { Identity } from '../identity/identity';
import { DB_FILE_NAME, Vault } from './vault';

const ROUNDS = 5;
/** Each round starts a real Node process; give a loaded 2-core CI machine room. */
const TIMEOUT = { timeout: 90_000 };

/** integrity_check and cipher_integrity_check through the independent SQLCipher build. */
async function expectCleanFile(dir: string, passphrase: string): Promise<void> {
  const reader = await SqlcipherReader.open(join(dir, DB_FILE_NAME), await rawKeyHex(dir, passphrase));
  try {
    expect(await reader.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(await reader.all('PRAGMA cipher_integrity_check')).toEqual([]);
  } finally {
    await reader.close();
  }
}

describe('crash safety: SIGKILL at a random moment (VAULT-03)', () => {
  it(`VAULT-03: every committed contact survives a SIGKILL mid-write, ${ROUNDS} times; both integrity checks stay clean`, TIMEOUT, async () => {
    const dir = tempDir();
    (await createTestVault(dir)).close();
    const committed: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const writer = new FixtureProcess('contact-writer.ts', [dir, PASSPHRASE]);
      const killAfter = randomInt(1, 150);
      await writer.waitFor((lines) => lines.length > killAfter);
      await writer.kill();
      const ids = writer.lines.filter((line) => line !== 'ready');
      expect(ids.length).toBeGreaterThanOrEqual(killAfter);
      committed.push(...ids);

      expect(statSync(join(dir, `${DB_FILE_NAME}-wal`)).size, 'the crash left commits in the WAL').toBeGreaterThan(0);
      // VAULT-02 in the crashed state (a WAL with data, no clean close): a wrong passphrase changes nothing.
      const crashed = snapshotFiles(dir);
      expect(await caught(() => Vault.unlock({ dir, passphrase: OTHER_PASSPHRASE }))).toMatchObject({ code: 'WRONG_PASSPHRASE' });
      expectSameFiles(crashed, snapshotFiles(dir));

      // Checked first by an engine other than ours, straight from the crashed files…
      await expectCleanFile(dir, PASSPHRASE);
      // …then by the vault itself.
      const vault = await Vault.unlock({ dir, passphrase: PASSPHRASE });
      expect(vault.contacts.count).toBeGreaterThanOrEqual(committed.length);
      const stored = new Set(vault.contacts.list().map((c) => c.userId));
      const missing = committed.filter((id) => !stored.has(id));
      expect(missing, `round ${round}: committed but lost`).toEqual([]);
      expect(stored.size - committed.length, 'at most the one insert in flight may also be there').toBeLessThanOrEqual(round + 1);
      vault.close();
      // After our clean close (checkpoint), every page is in the main file: check them all again.
      await expectCleanFile(dir, PASSPHRASE);
    }
  });

  it(`VAULT-02: a SIGKILL during passphrase changes leaves exactly one of the two passphrases working, ${ROUNDS} times`, TIMEOUT, async () => {
    const dir = tempDir();
    const first = PASSPHRASE;
    const second = OTHER_PASSPHRASE;
    const setup = await createTestVault(dir, { passphrase: first });
    const contacts = Array.from({ length: 20 }, () => Identity.create('x').userId);
    for (const id of contacts) setup.contacts.add(id);
    setup.close();
    let current = first;

    for (let round = 0; round < ROUNDS; round++) {
      const other = current === first ? second : first;
      const flipper = new FixtureProcess('passphrase-flipper.ts', [dir, current, other]);
      const killAfter = randomInt(1, 6);
      await flipper.waitFor((lines) => lines.length > killAfter);
      await flipper.kill();

      const working: string[] = [];
      for (const candidate of [first, second]) {
        const outcome = await caught(async () => (await Vault.unlock({ dir, passphrase: candidate })).close()).catch(() => null);
        if (outcome === null) working.push(candidate);
        else expect(outcome).toMatchObject({ code: 'WRONG_PASSPHRASE' });
      }
      expect(working).toHaveLength(1);
      current = working[0]!;
      await expectCleanFile(dir, current);
      const vault = await Vault.unlock({ dir, passphrase: current });
      expect(vault.contacts.list().map((c) => c.userId)).toEqual(contacts);
      vault.close();
    }
  });
});

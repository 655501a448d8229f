import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientCore } from '../../src/client/client-core';
import { type ClientCoreOptions, createClientCore } from '../../src/client/create-client-core';
import { TEST_ONLY_CHEAP_SCRYPT } from '../../src/vault/kdf';
import { Vault } from '../../src/vault/vault';
import type { ContactPresence } from '../../src/presence/presence-events';

export const PASSPHRASE = 'correct horse battery staple';

/** A profile on disk (real SQLCipher file in a temp folder) with a running client core. */
export interface TestProfile {
  name: string;
  dir: string;
  vault: Vault;
  core: ClientCore;
  /** Every presence event this profile's core emitted, in order. */
  presenceLog: { publicKey: string; status: ContactPresence }[];
  publicKeyHex: string;
  /** Stop the core and close the vault (the folder stays for a restart). */
  shutdown(): void;
  /** Unlock the same folder again and start a new core. */
  restart(): Promise<TestProfile>;
}

const roots: string[] = [];

export function cleanupProfiles(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

export async function createProfile(
  name: string,
  serverUrls: string[],
  extra: Partial<ClientCoreOptions> = {},
): Promise<TestProfile> {
  const root = mkdtempSync(join(tmpdir(), `dop-${name}-`));
  roots.push(root);
  const dir = join(root, 'profile');
  const vault = await Vault.create({ dir, passphrase: PASSPHRASE, displayName: name, kdf: TEST_ONLY_CHEAP_SCRYPT });
  vault.settings.set('network.signalingUrls', serverUrls);
  return startOn(name, dir, vault, extra);
}

function startOn(name: string, dir: string, vault: Vault, extra: Partial<ClientCoreOptions>): TestProfile {
  // random 0: no first-connect jitter and the shortest backoff, so tests are quick.
  const core = createClientCore({ vault, random: () => 0, ...extra });
  const presenceLog: TestProfile['presenceLog'] = [];
  core.on('presenceChanged', (e) => presenceLog.push({ publicKey: e.publicKey, status: e.status }));
  core.start();
  const profile: TestProfile = {
    name,
    dir,
    vault,
    core,
    presenceLog,
    publicKeyHex: Buffer.from(vault.identity.publicKey).toString('hex'),
    shutdown: () => {
      core.stop();
      vault.close();
    },
    restart: async () => {
      const reopened = await Vault.unlock({ dir, passphrase: PASSPHRASE });
      return startOn(name, dir, reopened, extra);
    },
  };
  return profile;
}

/** Make two profiles list each other (mutual contacts). */
export function befriend(a: TestProfile, b: TestProfile): void {
  a.vault.contacts.add(b.vault.identity.userId);
  b.vault.contacts.add(a.vault.identity.userId);
}

export function presenceSeen(viewer: TestProfile, of: TestProfile): ContactPresence | null {
  return viewer.vault.contacts.get(of.publicKeyHex)?.onlineStatus ?? null;
}

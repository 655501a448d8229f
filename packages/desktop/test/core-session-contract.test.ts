import { profileDir, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { type BridgeContractHarness, CONTRACT_PASSPHRASE, describeBridgeCoreContract } from '@discordopus/test-support/bridge-contract';
import { afterAll, beforeAll } from 'vitest';
import { CoreSession } from '../src/core-session';
import { FAST_RECONNECT, LOOPBACK_LINKS, removeTempHomes, tempHome } from './helpers/sessions';

/**
 * The bridge contract against the real CoreSession: real SQLCipher vaults in temp folders and a
 * real signaling server on 127.0.0.1 (CONVENTIONS 15). The app's FakeCore runs the same suite.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startSignalingServer({ port: 0, host: '127.0.0.1', offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
});

afterAll(async () => {
  await server.close();
});

function realCoreHarness(): BridgeContractHarness {
  const sessions: CoreSession[] = [];
  const dirs = new Map<unknown, { dir: string; home: string }>();
  let count = 0;
  const open = (dir: string, home: string) => {
    const session = new CoreSession({
      profileName: 'contract',
      dir,
      kdf: TEST_ONLY_CHEAP_SCRYPT,
      // Links on 127.0.0.1 only; received files land under the test's own home (FILE-03).
      network: { ...LOOPBACK_LINKS, policy: FAST_RECONNECT, files: { homeDir: home } },
      // FILE-03: "Open folder" is recorded, never run (core-session-files.test.ts checks what is asked).
      openFolder: async () => {},
      signalingOverride: async () => [server.url],
    });
    sessions.push(session);
    dirs.set(session, { dir, home });
    return session;
  };
  return {
    fresh: async () => {
      const home = tempHome();
      return open(profileDir({ profile: `p${++count}`, home }), home);
    },
    restart: async (core) => {
      const where = dirs.get(core);
      if (where === undefined) throw new Error('not a core of this harness');
      await (core as CoreSession).close();
      return open(where.dir, where.home);
    },
    cleanup: async () => {
      for (const session of sessions.splice(0)) await session.close();
      removeTempHomes();
    },
    // A second real profile on the same server adds the user: the sealed request goes through the relay.
    requestFrom: async (_core, userId, displayName, note) => {
      const home = tempHome();
      const sender = open(profileDir({ profile: `s${++count}`, home }), home);
      await sender.handlers['profile.create']({ displayName, passphrase: CONTRACT_PASSPHRASE });
      await sender.handlers['contacts.add']({ userId, note });
      return (await sender.handlers['identity.get']({})).userId;
    },
  };
}

describeBridgeCoreContract('the real CoreSession', realCoreHarness);

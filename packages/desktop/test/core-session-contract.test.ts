import { writeSync } from 'node:fs';
import { profileDir, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { type BridgeContractHarness, CONTRACT_PASSPHRASE, describeBridgeCoreContract } from '@discordopus/test-support/bridge-contract';
import { afterAll, beforeAll } from 'vitest';
import { CoreSession } from '../src/core-session';
import { droppableLinks } from './helpers/droppable-links';
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
  const faults = new Map<unknown, ReturnType<typeof droppableLinks>>();
  /** FILE-02: the sender whose link drops once a receiver has written 1 MiB of its next file. */
  let dropFor: { sender: unknown; written: number } | null = null;
  let count = 0;
  const open = (dir: string, home: string) => {
    const links = droppableLinks();
    const writeChunk = (fd: number, data: Uint8Array, at: number): void => {
      for (let done = 0; done < data.byteLength; ) done += writeSync(fd, data, done, data.byteLength - done, at + done);
      if (dropFor === null || dropFor.sender === session) return;
      dropFor.written += data.byteLength;
      if (dropFor.written < 1024 * 1024) return;
      const sender = faults.get(dropFor.sender);
      const receiverKey = Buffer.from(session.vault!.identity.publicKey).toString('hex');
      dropFor = null;
      // On the next turn, outside the engine's callback that wrote this chunk.
      setImmediate(() => sender?.drop(receiverKey));
    };
    const session: CoreSession = new CoreSession({
      profileName: 'contract',
      dir,
      kdf: TEST_ONLY_CHEAP_SCRYPT,
      // Links on 127.0.0.1 only (FILE-02: their connections can be dropped); received files land under the test's own home (FILE-03).
      network: { ...LOOPBACK_LINKS, links: links.links, policy: FAST_RECONNECT, files: { homeDir: home, tunables: { writeChunk } } },
      // FILE-03: "Open folder" is recorded, never run (core-session-files.test.ts checks what is asked).
      openFolder: async () => {},
      signalingOverride: async () => [server.url],
    });
    sessions.push(session);
    dirs.set(session, { dir, home });
    faults.set(session, links);
    return session;
  };
  return {
    interruptNextTransfer: (sender) => {
      dropFor = { sender, written: 0 };
    },
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
      dropFor = null;
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

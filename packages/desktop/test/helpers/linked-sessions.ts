import { shutdownLinkEngine } from '@discordopus/core';
import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { LOOPBACK_LINKS, openSession, removeTempHomes, tempHome, type TestSession } from './sessions';

/** The passphrase every profile made through these helpers gets. */
export const SESSION_PASSPHRASE = 'purple tiger drinks tea';

type SessionOptions = Parameters<typeof openSession>[0];

/** Real CoreSessions in a fresh temp home, against a fresh real signaling server, with direct links on 127.0.0.1. */
export interface LinkedSessions {
  /** This test's home (set in beforeEach). */
  readonly home: string;
  /** Opens `profile` against this test's server, with LOOPBACK_LINKS unless `network` is given; closed after the test. */
  readonly open: (profile: string, options?: Pick<SessionOptions, 'network' | 'openFolder'>) => TestSession;
  /** Opens `profile` and creates it with SESSION_PASSPHRASE. */
  readonly created: (profile: string, displayName: string) => Promise<TestSession>;
  /** Alice and Bob, created, each in the other's contacts (not yet waited online). Returns each one's key as the other knows it. */
  readonly mutualContacts: () => Promise<{ alice: TestSession; bob: TestSession; aliceKey: string; bobKey: string }>;
}

/**
 * Registers the CoreSession link tests' lifecycle (P2P-01, FILE-01): before each test a temp home
 * and a real signaling server on 127.0.0.1:0 (no offline grace); after it the sessions close, the
 * server closes and the homes go; after the file the link engine shuts down.
 */
export function useLinkedSessions(): LinkedSessions {
  let server: RunningServer | null = null;
  let home: string | null = null;
  const opened: TestSession[] = [];
  beforeEach(async () => {
    home = tempHome();
    server = await startSignalingServer({ port: 0, host: '127.0.0.1', offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.session.close();
    await server?.close();
    removeTempHomes();
  });
  afterAll(async () => {
    await shutdownLinkEngine();
  });
  const homeNow = (): string => {
    if (home === null) throw new Error('useLinkedSessions: the home is made in beforeEach; use it inside a test');
    return home;
  };
  const open = (profile: string, options: Pick<SessionOptions, 'network' | 'openFolder'> = {}): TestSession => {
    const s = openSession({ home: homeNow(), profile, serverUrls: () => (server ? [server.url] : null), network: options.network ?? LOOPBACK_LINKS, ...(options.openFolder ? { openFolder: options.openFolder } : {}) });
    opened.push(s);
    return s;
  };
  const created = async (profile: string, displayName: string): Promise<TestSession> => {
    const s = open(profile);
    await s.call('profile.create', { displayName, passphrase: SESSION_PASSPHRASE });
    return s;
  };
  return {
    get home() {
      return homeNow();
    },
    open,
    created,
    mutualContacts: async () => {
      const alice = await created('alice', 'Alice');
      const bob = await created('bob', 'Bob');
      const bobKey = (await alice.call('contacts.add', { userId: (await bob.call('identity.get', {})).userId })).publicKey;
      const aliceKey = (await bob.call('contacts.add', { userId: (await alice.call('identity.get', {})).userId })).publicKey;
      return { alice, bob, aliceKey, bobKey };
    },
  };
}

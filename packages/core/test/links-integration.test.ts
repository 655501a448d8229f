import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signProfileCard } from '../src/links/sealing';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { FixtureProcess } from './helpers/child-process';
import {
  addContacts,
  befriendCores,
  cleanupLinkCores,
  createProfileDir,
  linkStates,
  type LinkCore,
  sees,
  startLinkCore,
  type LinkCoreOptions,
} from './harness/link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Links between real client cores (P2P-01, P2P-02, P2P-04, P2P-05): real vaults, a real signaling
 * server process carrying the sealed set-up, real data channels on 127.0.0.1.
 */
let server: ServerProcess;
const cores: LinkCore[] = [];

async function core(name: string, options: LinkCoreOptions = {}): Promise<LinkCore> {
  const c = await startLinkCore(name, server.url, options);
  cores.push(c);
  return c;
}

function isOpen(a: LinkCore, b: LinkCore): boolean {
  return a.links.info(b.hex)?.state === 'open';
}

async function mutualOnline(...all: LinkCore[]): Promise<void> {
  all.forEach((a, i) => all.slice(i + 1).forEach((b) => befriendCores(a, b)));
  await waitFor(() => all.every((a) => all.every((b) => a === b || sees(a, b) === 'online')), 'all online to each other');
}

beforeAll(async () => {
  // A long presence grace: a SIGKILLed peer stays "online" at the server for a minute, so only
  // the link's own heartbeat can notice it (as when a peer's network vanishes).
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '60000']);
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

describe('links between real cores through a real signaling server (P2P-01, P2P-05)', () => {
  it('P2P-01, P2P-05: three cores link on demand, carry frames both ways, and store each other’s signed display names in their vaults', async () => {
    const alice = await core('Alice');
    const bob = await core('Bob');
    const carol = await core('Carol');
    await mutualOnline(alice, bob, carol);

    expect(alice.root.openLink(bob.hex)).toMatchObject({ ok: true });
    expect(bob.root.openLink(carol.hex)).toMatchObject({ ok: true });
    expect(carol.root.openLink(alice.hex)).toMatchObject({ ok: true });
    await waitFor(() => [alice, bob, carol].every((a) => [alice, bob, carol].every((b) => a === b || isOpen(a, b))), 'a full mesh');
    for (const c of [alice, bob, carol]) expect(c.links.list().map((l) => l.path)).toEqual(['direct', 'direct']);

    // Profile cards arrived over the links and are in the vaults.
    await waitFor(() => alice.vault.contacts.get(bob.hex)?.displayName === 'Bob' && carol.vault.contacts.get(alice.hex)?.displayName === 'Alice', 'names stored');

    // A renamed user's new card reaches contacts at once.
    expect(bob.root.setDisplayName('Robert')).toBe('Robert');
    await waitFor(() => alice.vault.contacts.get(bob.hex)?.displayName === 'Robert' && carol.vault.contacts.get(bob.hex)?.displayName === 'Robert', 'rename reached both');

    // Frames both ways on one link.
    const fromAlice = signProfileCard({ identity: alice.vault.identity, displayName: 'Alice', updatedAtMs: Date.now() });
    expect(alice.links.send(carol.hex, fromAlice)).toBe(true);
    expect(carol.links.send(alice.hex, carol.vault.profileCard())).toBe(true);
    // The server saw only sealed payloads (P2P-04): nothing relayed reads as SDP.
    for (const c of [alice, bob, carol]) for (const r of c.relayed) expect(r.payload).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
  });

  it('P2P-01: a link closes when idle, and never opens between non-mutual contacts', async () => {
    const alice = await core('Alice', { tunables: { idleTimeoutMs: 300, pingIntervalMs: 100, deadAfterMs: 5_000 } });
    const bob = await core('Bob');
    const carol = await core('Carol');
    await mutualOnline(alice, bob);
    carol.vault.contacts.add(alice.vault.identity.userId); // carol lists alice; alice does not list carol

    alice.root.openLink(bob.hex);
    await waitFor(() => linkStates(alice, bob).includes('closed:idle') && linkStates(bob, alice).includes('closed:idle'), 'idle close on both sides');
    expect(linkStates(alice, bob)).toEqual(['connecting', 'open', 'closed:idle']);

    await waitFor(() => sees(carol, alice) === 'offline', 'carol sees alice as offline (not mutual)');
    expect(carol.root.openLink(alice.hex)).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });
    expect(carol.states).toEqual([]);
    expect(alice.states.filter((s) => s.peer === carol.hex)).toEqual([]);
  });

  it('P2P-02, P2P-04: a relay that replays and alters set-up messages gets them refused with a warning; the genuine link still opens once', async () => {
    const alice = await core('Alice');
    const bob = await core('Bob');
    await mutualOnline(alice, bob);
    // Bob's copy of what the server relays: every message twice, then an altered third copy.
    bob.tamperIncoming = (m) => [m, m, { ...m, payload: `${m.payload.slice(0, -4)}AAAA` }];
    alice.root.openLink(bob.hex);
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked despite the noise');
    const refused = bob.links.stats().refusedSignals;
    expect(refused.REPLAYED).toBeGreaterThan(0);
    expect(refused.DECRYPT_FAILED).toBeGreaterThan(0);
    expect(bob.warnings.every((w) => w.publicKey === alice.hex && w.code === 'LINK_AUTH_FAILED')).toBe(true);
    expect(linkStates(bob, alice)).toEqual(['connecting', 'open']);
  });

  it('P2P-02: a relay that re-stamps another contact’s set-up as someone else’s gets no link and a warning', async () => {
    const alice = await core('Alice');
    const bob = await core('Bob');
    const mallory = await core('Mallory');
    await mutualOnline(alice, bob, mallory);
    // Mallory opens a link to alice; the relay tells alice it comes from bob.
    alice.tamperIncoming = (m) => (m.from === mallory.hex ? [{ ...m, from: bob.hex }] : [m]);
    mallory.root.openLink(alice.hex);
    await waitFor(() => alice.links.stats().refusedSignals.SENDER_MISMATCH > 0, 'refused');
    expect(alice.warnings[0]).toMatchObject({ publicKey: bob.hex, code: 'LINK_AUTH_FAILED' });
    expect(alice.states).toEqual([]);
  });
});

describe('a peer killed with SIGKILL and restarted (P2P-01)', () => {
  it('P2P-01: the heartbeat notices the dead peer (the server still shows it online), and the restarted peer’s new link replaces it', async () => {
    const bobProfile = await createProfileDir('Bob');
    const alice = await core('Alice', { tunables: { pingIntervalMs: 500, deadAfterMs: 2_000 } });
    await addContacts(bobProfile.dir, [alice.vault.identity.userId]);
    alice.vault.contacts.add(bobProfile.userId);

    let bob = new FixtureProcess('link-peer.ts', [server.url, bobProfile.dir]);
    try {
      await waitFor(() => sees(alice, bobProfile) === 'online', 'alice sees bob online');
      expect(alice.root.openLink(bobProfile.hex)).toMatchObject({ ok: true });
      await waitFor(() => isOpenTo(alice, bobProfile.hex), 'linked to the bob process');
      const firstLink = alice.links.info(bobProfile.hex)?.linkId;

      await bob.kill();
      await waitFor(() => linkStates(alice, bobProfile).includes('closed:peer-timeout'), 'heartbeat noticed', 20_000);
      // Only the heartbeat could tell: the server still shows bob online (presence grace).
      expect(sees(alice, bobProfile)).toBe('online');

      // Bob comes back and, being the side that restarted, opens the link.
      bob = new FixtureProcess('link-peer.ts', [server.url, bobProfile.dir, alice.hex]);
      await waitFor(() => isOpenTo(alice, bobProfile.hex), 'linked again', 25_000);
      expect(alice.links.info(bobProfile.hex)?.linkId).not.toBe(firstLink);
      await bob.waitFor((lines) => lines.some((l) => l.includes('"state":"open"')));
    } finally {
      await bob.kill();
    }
  }, 60_000);
});

function isOpenTo(c: LinkCore, hex: string): boolean {
  return c.links.info(hex)?.state === 'open';
}

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '@discordopus/protocol';
import type { LinkChange } from '../src/client/client-core-events';
import { Identity } from '../src/identity/identity';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { befriendCores, cleanupLinkCores, type LinkCore, type LinkCoreOptions, sees, startLinkCore } from './harness/link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * The composition root's link wiring end to end (issue #11; P2P-01, P2P-03, P2P-05): two real
 * ClientCores built by createClientCore (real vaults, real signaling server process, real data
 * channels on 127.0.0.1), driven only through the root's API and observed through its events
 * and the contacts store.
 */
let server: ServerProcess;
const cores: LinkCore[] = [];

async function core(name: string, options: LinkCoreOptions = {}): Promise<LinkCore> {
  const c = await startLinkCore(name, server.url, options);
  cores.push(c);
  return c;
}

async function pair(aliceOptions: LinkCoreOptions = {}): Promise<[LinkCore, LinkCore]> {
  const alice = await core('Alice', aliceOptions);
  const bob = await core('Bob');
  befriendCores(alice, bob);
  await waitFor(() => sees(alice, bob) === 'online' && sees(bob, alice) === 'online', 'online to each other');
  return [alice, bob];
}

/** The root's link events about one contact, as "state" or "state:reason" (path and RTT left out). */
function statesOf(c: LinkCore, peer: LinkCore): string[] {
  return c.changes.filter((e) => e.publicKey === peer.hex).map((e) => (e.reason ? `${e.state}:${e.reason}` : e.state));
}

function lastChange(c: LinkCore, peer: LinkCore): LinkChange | undefined {
  return c.changes.filter((e) => e.publicKey === peer.hex).at(-1);
}

/** No event repeats the one before it for the same contact. */
function expectNoRepeats(c: LinkCore): void {
  const last = new Map<string, string>();
  for (const e of c.changes) {
    const text = JSON.stringify(e);
    expect(text).not.toBe(last.get(e.publicKey));
    last.set(e.publicKey, text);
  }
}

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

describe('ClientCore links: the root wires the link manager (P2P-01, P2P-03, P2P-05)', () => {
  it('P2P-01, P2P-03: openLink → linkChanged connecting, then open on a direct path with a measured RTT, on both sides; links() lists it; no event repeats', async () => {
    const [alice, bob] = await pair();
    expect(alice.root.openLink(bob.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => lastChange(alice, bob)?.rttMs != null && lastChange(bob, alice)?.rttMs != null, 'open with an RTT on both sides');
    for (const [a, b] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      expect(statesOf(a, b).slice(0, 2)).toEqual(['connecting', 'open']);
      expect(statesOf(a, b).slice(1).every((s) => s === 'open')).toBe(true);
      expect(lastChange(a, b)).toMatchObject({ state: 'open', reason: null, path: 'direct', rttMs: expect.any(Number) });
      expect(a.root.links()).toEqual([{ publicKey: b.hex, state: 'open', reason: null, path: 'direct', rttMs: expect.any(Number) }]);
    }
    expect(alice.root.openLink(bob.hex)).toEqual({ ok: true, state: 'open' });
    expect(statesOf(alice, bob).filter((s) => s === 'connecting')).toHaveLength(1);
    expectNoRepeats(alice);
    expectNoRepeats(bob);
  });

  it('P2P-05: a display name set through the root reaches the other side’s contacts store at once, as its "changed" event', async () => {
    const [alice, bob] = await pair();
    alice.root.openLink(bob.hex);
    await waitFor(() => alice.vault.contacts.get(bob.hex)?.displayName === 'Bob', 'bob’s card arrived with the handshake');
    const updates: (string | null)[] = [];
    alice.vault.contacts.on('changed', (e) => {
      if (e.reason === 'updated' && e.publicKey === bob.hex) updates.push(alice.vault.contacts.get(bob.hex)?.shownName ?? null);
    });

    expect(bob.root.setDisplayName('  Robert  ')).toBe('Robert');
    await waitFor(() => updates.includes('Robert'), 'the new name reached alice');
    expect(alice.vault.contacts.get(bob.hex)).toMatchObject({ displayName: 'Robert', shownName: 'Robert' });
    // Stored in bob's own vault too, and a bad name is refused without touching it.
    expect(bob.vault.identity.displayName).toBe('Robert');
    expect(() => bob.root.setDisplayName('')).toThrow();
    expect(bob.vault.identity.displayName).toBe('Robert');
  });

  it('P2P-01: a contact who goes offline (here: invisible) has its link closed with reason contact-offline', async () => {
    const [alice, bob] = await pair();
    alice.root.openLink(bob.hex);
    await waitFor(() => lastChange(alice, bob)?.state === 'open', 'open');
    bob.root.setStatus('invisible');
    await waitFor(() => lastChange(alice, bob)?.state === 'closed', 'closed at alice');
    expect(lastChange(alice, bob)).toMatchObject({ state: 'closed', reason: 'contact-offline' });
    expect(alice.root.links()).toEqual([]);
    // Bob's own side closes at once and says why (PRES-03), which can reach alice before the
    // server's presence update; once that has arrived she cannot open a link to him.
    await waitFor(() => sees(alice, bob) === 'offline', 'bob offline to alice');
    expect(alice.root.openLink(bob.hex)).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });
  });

  it('P2P-01: removing the contact closes its link (contact-removed); stop("locked") closes the rest (locked)', async () => {
    const alice = await core('Alice');
    const bob = await core('Bob');
    const carol = await core('Carol');
    befriendCores(alice, bob);
    befriendCores(alice, carol);
    await waitFor(() => sees(alice, bob) === 'online' && sees(alice, carol) === 'online', 'both online to alice');
    alice.root.openLink(bob.hex);
    alice.root.openLink(carol.hex);
    await waitFor(() => lastChange(alice, bob)?.state === 'open' && lastChange(alice, carol)?.state === 'open', 'two links');

    alice.vault.contacts.remove(bob.hex);
    expect(lastChange(alice, bob)).toMatchObject({ state: 'closed', reason: 'contact-removed' });
    await waitFor(() => lastChange(bob, alice)?.state === 'closed', 'bob saw it close');

    alice.root.stop('locked');
    expect(lastChange(alice, carol)).toMatchObject({ state: 'closed', reason: 'locked' });
    expect(alice.root.links()).toEqual([]);
    expect(alice.root.openLink(carol.hex)).toMatchObject({ ok: false, code: 'NOT_RUNNING' });
    await waitFor(() => lastChange(carol, alice)?.state === 'closed', 'carol saw it close');
  });

  it('P2P-03: switching relay-only on closes a link on a direct path (relay-required)', async () => {
    const [alice, bob] = await pair();
    alice.root.openLink(bob.hex);
    await waitFor(() => lastChange(alice, bob)?.path === 'direct', 'direct');
    alice.vault.settings.set('network.relayOnly', true);
    expect(lastChange(alice, bob)).toMatchObject({ state: 'closed', reason: 'relay-required' });
    // With no TURN server here, relay-only has nothing to offer: no new direct link.
    expect(alice.root.iceConfiguration.iceTransportPolicy).toBe('relay');
  });

  it('P2P-03: switching relay-only on also closes a link still connecting (set up without relay-only); none opens direct afterwards', async () => {
    const [alice, bob] = await pair();
    expect(alice.root.openLink(bob.hex)).toEqual({ ok: true, state: 'connecting' });
    alice.vault.settings.set('network.relayOnly', true);
    expect(lastChange(alice, bob)).toMatchObject({ state: 'closed', reason: 'relay-required' });
    expect(alice.root.links()).toEqual([]);
    // Bob's side of that set-up ends too; whatever he tries next meets alice's relay-only links,
    // which have no TURN server here: nothing ever opens on a direct path.
    await waitFor(() => bob.root.links().length === 0 && alice.root.links().length === 0, 'no link on either side');
    expect(alice.changes.some((e) => e.path === 'direct')).toBe(false);
  });

  it('P2P-01: a signal.error from the server for a set-up message abandons that set-up at once (the root maps the request id back to the contact)', async () => {
    // A long set-up timeout: only the server's answer can end the set-up within the test.
    const alice = await core('Alice', { tunables: { setupTimeoutMs: 600_000, maxReopenAttempts: 0 } });
    const dave = await core('Dave');
    // Alice lists dave; dave does not list alice, so the server refuses to relay (TARGET_OFFLINE).
    alice.vault.contacts.add(dave.vault.identity.userId);
    await waitFor(() => sees(alice, dave) === 'offline', 'the server reported dave');
    // Failure injection: a stale presence that still shows dave online.
    alice.vault.contacts.updatePresence(dave.hex, 'online', Date.now());
    expect(alice.root.openLink(dave.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => lastChange(alice, dave)?.state === 'closed', 'set-up abandoned');
    expect(statesOf(alice, dave)).toEqual(['connecting', 'closed:timeout']);
    expect(dave.relayed).toEqual([]);
  });

  it('P2P-01: a set-up message that cannot be sent (no server connection) abandons the set-up at once', async () => {
    // A server address where nothing listens: the core runs, backing off, never connected.
    const alice = await startLinkCore('Alice', `ws://127.0.0.1:${await freePort()}`, { tunables: { setupTimeoutMs: 600_000, maxReopenAttempts: 0 } });
    cores.push(alice);
    const bob = Identity.create('Bob');
    const bobHex = bytesToHex(bob.publicKey);
    alice.vault.contacts.add(bob.userId);
    // Failure injection: a presence that still shows bob online.
    alice.vault.contacts.updatePresence(bobHex, 'online', Date.now());
    expect(alice.root.openLink(bobHex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => alice.changes.at(-1)?.state === 'closed', 'set-up abandoned');
    expect(alice.changes.map((e) => (e.reason ? `${e.state}:${e.reason}` : e.state))).toEqual(['connecting', 'closed:timeout']);
    expect(alice.root.connection.state).not.toBe('connected');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { signProfileCard } from './sealing';
import { ManualClock } from './manual-clock.test-helper';
import { befriendNodes, isOpen, makeNode, statesOf, TestRelay, type NodeOptions, type TestNode } from './link-test-kit.test-helper';

let clock: ManualClock;
let relay: TestRelay;
const nodes: TestNode[] = [];

function node(name: string, extra: Partial<NodeOptions> = {}): TestNode {
  const n = makeNode(name, { clock, relay, ...extra });
  nodes.push(n);
  return n;
}

beforeEach(() => {
  clock = new ManualClock();
  relay = new TestRelay();
});

afterEach(() => {
  for (const n of nodes.splice(0)) n.manager.closeAll('shutdown');
});

/**
 * Move the manual clock forward one ping interval at a time, waiting (on real time) after each
 * step for both sides' pongs, so the heartbeat keeps seeing a live peer.
 */
async function advanceAlive(a: TestNode, b: TestNode, ms: number, stepMs = 3_000): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    const [sa, sb] = [a.stats.length, b.stats.length];
    clock.advance(Math.min(stepMs, ms - done));
    if (!isOpen(a, b) || !isOpen(b, a)) return;
    await waitFor(() => a.stats.length > sa && b.stats.length > sb, 'pongs on both sides');
  }
}

async function openPair(a: TestNode, b: TestNode): Promise<void> {
  expect(a.manager.open(b.hex)).toEqual({ ok: true, state: 'connecting' });
  await waitFor(() => isOpen(a, b) && isOpen(b, a), `${a.name} and ${b.name} linked`);
}

describe('link manager over real data channels (P2P-01, P2P-02, P2P-05)', () => {
  it('P2P-01, P2P-05: a link opens on demand, exchanges signed display names, carries frames both ways and measures the RTT', async () => {
    const alice = node('alice', { displayName: 'Alice A.' });
    const bob = node('bob', { displayName: 'Bob B.' });
    befriendNodes(alice, bob);
    await openPair(alice, bob);

    expect(statesOf(alice, bob)).toEqual(['connecting', 'open']);
    expect(statesOf(bob, alice)).toEqual(['connecting', 'open']);
    const aInfo = alice.manager.info(bob.hex);
    expect(aInfo).toMatchObject({ state: 'open', initiator: 'local', path: 'direct' });
    expect(bob.manager.info(alice.hex)).toMatchObject({ state: 'open', initiator: 'remote', linkId: aInfo?.linkId });

    // Each side's profile card arrives right after the handshake, verified.
    await waitFor(() => alice.frames.length >= 1 && bob.frames.length >= 1, 'profile cards');
    expect(alice.frames[0]).toMatchObject({ peer: bob.hex, frame: { type: 'profile.card', displayName: 'Bob B.' } });
    expect(bob.frames[0]).toMatchObject({ peer: alice.hex, frame: { type: 'profile.card', displayName: 'Alice A.' } });

    // Application frames both ways.
    const renamed = signProfileCard({ identity: alice.identity, displayName: 'Alice Again', updatedAtMs: clock.now() + 1 });
    expect(alice.manager.send(bob.hex, renamed)).toBe(true);
    expect(bob.manager.send(alice.hex, signProfileCard({ identity: bob.identity, displayName: 'Bob Again', updatedAtMs: clock.now() + 1 }))).toBe(true);
    await waitFor(() => alice.frames.length >= 2 && bob.frames.length >= 2, 'frames both ways');
    expect(bob.frames[1]?.frame).toEqual(renamed);
    expect(alice.frames[1]?.frame).toMatchObject({ displayName: 'Bob Again' });

    // The first ping gives a round trip on both sides.
    await waitFor(() => alice.manager.info(bob.hex)?.rttMs != null && bob.manager.info(alice.hex)?.rttMs != null, 'RTT measured');
    expect(alice.stats.at(-1)).toMatchObject({ peer: bob.hex, path: 'direct', rttMs: expect.any(Number) });
  });

  it('P2P-01: one link per contact: opening again keeps it; sending to a closed contact opens it on demand and queues', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    const card = signProfileCard({ identity: alice.identity, displayName: 'Queued', updatedAtMs: clock.now() });
    expect(alice.manager.send(bob.hex, card)).toBe(true);
    expect(alice.manager.open(bob.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => bob.frames.some((f) => f.frame.type === 'profile.card' && f.frame.displayName === 'Queued'), 'queued frame delivered');
    expect(alice.manager.list()).toHaveLength(1);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'open']);
  });

  it('P2P-01: a new idle period (the user’s setting) applies to a link that is already open', async () => {
    const alice = node('alice', { tunables: { idleTimeoutMs: 120_000 } });
    const bob = node('bob', { tunables: { idleTimeoutMs: 120_000 } });
    befriendNodes(alice, bob);
    await openPair(alice, bob);
    await advanceAlive(alice, bob, 30_000);
    alice.manager.setIdleTimeout(40_000);
    await advanceAlive(alice, bob, 9_000);
    expect(isOpen(alice, bob)).toBe(true);
    await advanceAlive(alice, bob, 3_000);
    await waitFor(() => bob.manager.info(alice.hex) === null, 'bob saw the idle close');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'open', 'closed:idle']);
    // A longer one also applies: a new link lives past the old period.
    alice.manager.setIdleTimeout(90_000);
    await openPair(alice, bob);
    await advanceAlive(alice, bob, 60_000);
    expect(isOpen(alice, bob)).toBe(true);
  });

  it('P2P-01: a link closes on both sides after the idle period, and not before', async () => {
    const alice = node('alice', { tunables: { idleTimeoutMs: 60_000 } });
    const bob = node('bob', { tunables: { idleTimeoutMs: 120_000 } });
    befriendNodes(alice, bob);
    await openPair(alice, bob);
    await advanceAlive(alice, bob, 57_000);
    expect(isOpen(alice, bob)).toBe(true);
    expect(isOpen(bob, alice)).toBe(true);
    await advanceAlive(alice, bob, 3_000);
    await waitFor(() => bob.manager.info(alice.hex) === null, 'bob saw the idle close');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'open', 'closed:idle']);
    expect(statesOf(bob, alice)).toEqual(['connecting', 'open', 'closed:idle']);
  });

  it('P2P-01, FILE-01: a link something uses outside its frames (a running transfer) is not closed as idle, however long the pause; a period after the use ends, it is', async () => {
    const alice = node('alice', { tunables: { idleTimeoutMs: 30_000 } });
    const bob = node('bob', { tunables: { idleTimeoutMs: 120_000 } });
    befriendNodes(alice, bob);
    let transferRunning = true;
    const remove = alice.manager.addInUseCheck((peer) => peer === bob.hex && transferRunning);
    await openPair(alice, bob);
    await advanceAlive(alice, bob, 90_000);
    expect(isOpen(alice, bob)).toBe(true);
    transferRunning = false;
    await advanceAlive(alice, bob, 30_000);
    await waitFor(() => bob.manager.info(alice.hex) === null, 'bob saw the idle close');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'open', 'closed:idle']);
    // A removed check holds nothing.
    transferRunning = true;
    remove();
    await openPair(alice, bob);
    await advanceAlive(alice, bob, 30_000);
    await waitFor(() => bob.manager.info(alice.hex) === null, 'idle close without the check');
  });

  it('P2P-01: glare — both open at once — ends with one link, the smaller key’s', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    alice.manager.open(bob.hex);
    bob.manager.open(alice.hex);
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked');
    const [small, large] = alice.hex < bob.hex ? [alice, bob] : [bob, alice];
    expect(statesOf(small, large)).toEqual(['connecting', 'open']);
    expect(statesOf(large, small)).toEqual(['connecting', 'closed:glare', 'connecting', 'open']);
    expect(small.manager.info(large.hex)?.initiator).toBe('local');
    expect(large.manager.info(small.hex)?.linkId).toBe(small.manager.info(large.hex)?.linkId);
  });

  it('P2P-01: an undeliverable offer (signal.error) abandons the set-up at once and retries with backoff', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    relay.tamper = () => [];
    alice.manager.open(bob.hex);
    alice.manager.handleSignalFailed(bob.hex);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout']);
    relay.tamper = (m) => [m];
    clock.advance(250);
    await waitFor(() => isOpen(alice, bob), 'reopened');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout', 'connecting', 'open']);
  });

  it('P2P-04: an offer the relay held back and delivers late does not tear down the newer link (review finding)', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    // The relay withholds alice's first set-up (its offer, and the bye when she gives it up).
    let withheld: { from: string; to: string; payload: string } | null = null;
    let holding = true;
    relay.tamper = (m) => {
      if (!holding || m.from !== alice.hex) return [m];
      withheld ??= m;
      return [];
    };
    expect(alice.manager.open(bob.hex).ok).toBe(true);
    await waitFor(() => withheld !== null, 'the first offer withheld');
    alice.manager.close(bob.hex);
    clock.advance(1_000);
    holding = false;
    await openPair(alice, bob);
    const linkId = bob.manager.info(alice.hex)?.linkId;
    const strays = bob.manager.stats().strayedSignals;
    // Now the relay delivers the old offer (inside the freshness window, never seen by bob).
    const late = withheld as unknown as { from: string; payload: string };
    bob.manager.handleSignal({ from: late.from, payload: late.payload });
    await waitFor(() => bob.manager.stats().strayedSignals > strays, 'the late offer counted as stray');
    expect(bob.manager.info(alice.hex)).toMatchObject({ state: 'open', linkId });
    expect(statesOf(bob, alice)).toEqual(['connecting', 'open']);
  });

  it('P2P-01: never between non-mutual contacts: refused locally, and an offer from a non-mutual sender is refused', async () => {
    const alice = node('alice');
    const carol = node('carol');
    expect(alice.manager.open(carol.hex)).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });
    // Not a key at all, even if the contacts port said yes: refused, never a crash.
    alice.mutualOnline.add('not-a-key');
    expect(alice.manager.open('not-a-key')).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });
    alice.manager.handleSignal({ from: 'not-a-key', payload: 'garbage' });
    expect(alice.manager.stats().refusedSignals.MALFORMED).toBe(1);
    expect(alice.manager.send(carol.hex, signProfileCard({ identity: alice.identity, displayName: 'x', updatedAtMs: 1 }))).toBe(false);
    // Carol thinks they are mutual; alice does not list carol.
    carol.mutualOnline.add(alice.hex);
    carol.manager.open(alice.hex);
    await waitFor(() => statesOf(carol, alice).includes('closed:refused'), 'carol told no');
    expect(alice.manager.stats().refusedOffers).toBe(1);
    expect(alice.states).toEqual([]);
  });

  it('P2P-01: the concurrent-link cap closes the least recently used link', async () => {
    const alice = node('alice', { tunables: { maxLinks: 2 } });
    const bob = node('bob');
    const carol = node('carol');
    const dave = node('dave');
    befriendNodes(alice, bob, carol, dave);
    await openPair(alice, bob);
    clock.advance(10);
    await openPair(alice, carol);
    clock.advance(10);
    alice.manager.send(bob.hex, signProfileCard({ identity: alice.identity, displayName: 'touch', updatedAtMs: clock.now() }));
    await openPair(alice, dave);
    expect(statesOf(alice, carol).at(-1)).toBe('closed:too-many-links');
    expect(isOpen(alice, bob)).toBe(true);
    await waitFor(() => statesOf(carol, alice).at(-1) === 'closed:too-many-links', 'carol told why');
  });

  it('P2P-01, FILE-01: making room passes over a link in use (a running transfer), even the least recently used one', async () => {
    const alice = node('alice', { tunables: { maxLinks: 2 } });
    const bob = node('bob');
    const carol = node('carol');
    const dave = node('dave');
    befriendNodes(alice, bob, carol, dave);
    alice.manager.addInUseCheck((peer) => peer === bob.hex);
    await openPair(alice, bob);
    clock.advance(10);
    await openPair(alice, carol);
    clock.advance(10);
    await openPair(alice, dave);
    expect(statesOf(alice, carol).at(-1)).toBe('closed:too-many-links');
    expect(isOpen(alice, bob)).toBe(true);
  });

  it('P2P-01: the contact going offline or being removed closes the link', async () => {
    const alice = node('alice');
    const bob = node('bob');
    const carol = node('carol');
    befriendNodes(alice, bob, carol);
    await openPair(alice, bob);
    await openPair(alice, carol);
    alice.manager.handleContactOffline(bob.hex);
    alice.manager.handleContactRemoved(carol.hex);
    expect(statesOf(alice, bob).at(-1)).toBe('closed:contact-offline');
    expect(statesOf(alice, carol).at(-1)).toBe('closed:contact-removed');
    await waitFor(() => statesOf(carol, alice).at(-1) === 'closed:contact-removed', 'carol told');
    expect(alice.manager.list()).toEqual([]);
  });

  it('P2P-01: a dead peer is noticed by the heartbeat within 15 s, and the link is reopened with backoff while both are online', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    await openPair(alice, bob);
    const firstLink = alice.manager.info(bob.hex)?.linkId;
    // Bob's side stops hearing anything and alice's stops hearing bob: a frozen peer.
    for (const t of [...alice.transports, ...bob.transports]) t.deaf = true;
    let waited = 0;
    while (isOpen(alice, bob) && waited < 60_000) {
      clock.advance(100);
      waited += 100;
    }
    expect(waited).toBeLessThanOrEqual(15_000);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'open', 'closed:peer-timeout']);
    // Reopen after the backoff (random 0: half the minimum delay).
    for (const t of [...alice.transports, ...bob.transports]) t.deaf = false;
    clock.advance(250);
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'reopened');
    const second = alice.manager.info(bob.hex)?.linkId;
    expect(second).not.toBe(firstLink);
    // Bob's stale link was replaced by the new authenticated set-up, if it had not died yet.
    expect(statesOf(bob, alice).filter((s) => s === 'open')).toHaveLength(2);
  });

  it('P2P-01: a set-up that never completes times out, and a link closed by the user is not reopened', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    relay.tamper = () => [];
    alice.manager.open(bob.hex);
    clock.advance(20_000);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout']);
    alice.manager.close(bob.hex);
    clock.advance(60_000);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout']);
    expect(alice.manager.list()).toEqual([]);
  });

  it('P2P-01: closeAll (lock) closes every link and tells the peers', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    await openPair(alice, bob);
    alice.manager.closeAll('locked');
    expect(alice.manager.list()).toEqual([]);
    await waitFor(() => statesOf(bob, alice).at(-1) === 'closed:locked', 'bob told');
  });
});

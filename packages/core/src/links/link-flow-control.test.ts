import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { signProfileCard } from './sealing';
import { ManualClock } from './manual-clock.test-helper';
import { befriendNodes, isOpen, makeNode, statesOf, TestRelay, type NodeOptions, type TestNode } from './link-test-kit.test-helper';
import { LINK_DEFAULTS } from './link-options';

/**
 * The link manager's surface for the message layer: back-pressure (`send()` false, then
 * `drained`) and the open intent that keeps an invisible user hidden (PRES-03 with P2P-01).
 * Real identities, sealers and node-datachannel links on 127.0.0.1; only the clock is manual and
 * a full channel buffer is injected (failure injection).
 */
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

async function openPair(a: TestNode, b: TestNode): Promise<void> {
  expect(a.manager.open(b.hex)).toEqual({ ok: true, state: 'connecting' });
  await waitFor(() => isOpen(a, b) && isOpen(b, a), `${a.name} and ${b.name} linked`);
}

function card(n: TestNode, displayName: string, offsetMs = 1): ReturnType<typeof signProfileCard> {
  return signProfileCard({ identity: n.identity, displayName, updatedAtMs: clock.now() + offsetMs });
}

describe('link back-pressure (P2P-01, MSG-02)', () => {
  it('P2P-01: a full channel buffer makes send() return false; drained fires once when it empties, then sends go through', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    const drained: { peer: string; linkId: string }[] = [];
    alice.manager.on('drained', (e) => drained.push(e));
    await openPair(alice, bob);
    await waitFor(() => bob.frames.length >= 1, 'profile card at bob');
    const transport = alice.transports.at(-1);
    if (!transport) throw new Error('no transport');

    transport.fakeBufferedAmount = LINK_DEFAULTS.maxBufferedBytes;
    expect(alice.manager.send(bob.hex, card(alice, 'Refused 1'))).toBe(false);
    expect(alice.manager.send(bob.hex, card(alice, 'Refused 2'))).toBe(false);
    expect(drained).toEqual([]);

    transport.fakeBufferedAmount = null;
    transport.emitBufferedAmountLow();
    expect(drained).toEqual([{ peer: bob.hex, linkId: alice.manager.info(bob.hex)?.linkId }]);
    // Once per refusal streak: another low-water mark without a refusal says nothing.
    transport.emitBufferedAmountLow();
    expect(drained).toHaveLength(1);

    const after = card(alice, 'After drain', 2);
    expect(alice.manager.send(bob.hex, after)).toBe(true);
    await waitFor(() => bob.frames.some((f) => f.frame.type === 'profile.card' && f.frame.displayName === 'After drain'), 'frame after drain');
    expect(bob.frames.map((f) => (f.frame.type === 'profile.card' ? f.frame.displayName : f.frame.type))).not.toContain('Refused 1');
  });

  it('P2P-01: a set-up queue that is full refuses, and drained follows when the link opens', async () => {
    const alice = node('alice', { tunables: { maxQueuedFrames: 2 } });
    const bob = node('bob');
    befriendNodes(alice, bob);
    const drained: string[] = [];
    alice.manager.on('drained', (e) => drained.push(e.peer));
    expect(alice.manager.send(bob.hex, card(alice, 'Q1'))).toBe(true);
    expect(alice.manager.send(bob.hex, card(alice, 'Q2', 2))).toBe(true);
    expect(alice.manager.send(bob.hex, card(alice, 'Q3', 3))).toBe(false);
    await waitFor(() => isOpen(alice, bob) && drained.length === 1, 'open, then drained');
    expect(drained).toEqual([bob.hex]);
  });
});

describe('open intent while invisible (PRES-03, P2P-01)', () => {
  it('PRES-03: an automatic open while invisible is refused with INVISIBLE and sends nothing; a user open goes ahead', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    alice.manager.handleOwnStatus('invisible');

    const refused = alice.manager.open(bob.hex, { intent: 'auto' });
    expect(refused).toMatchObject({ ok: false, code: 'INVISIBLE', reason: expect.stringContaining('invisible') });
    expect(alice.manager.send(bob.hex, card(alice, 'Outbox'), { intent: 'auto' })).toBe(false);
    expect(relay.log).toEqual([]);
    expect(alice.manager.list()).toEqual([]);

    // The user asks (the UI says this shows them to bob): the link opens.
    expect(alice.manager.open(bob.hex, { intent: 'user' })).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked on the user’s request');
    // With the link open, the app's own sends use it.
    expect(alice.manager.send(bob.hex, card(alice, 'Outbox'), { intent: 'auto' })).toBe(true);
  });

  it('PRES-03: while invisible an unasked offer is dropped unanswered and counted; one after the user asked is answered', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    alice.manager.handleOwnStatus('invisible');

    bob.manager.open(alice.hex);
    await waitFor(() => alice.manager.stats().invisibleDroppedOffers === 1, 'offer dropped');
    expect(relay.log.filter((m) => m.from === alice.hex)).toEqual([]);
    expect(alice.states).toEqual([]);
    clock.advance(LINK_DEFAULTS.setupTimeoutMs);
    expect(statesOf(bob, alice)).toEqual(['connecting', 'closed:timeout']);

    // Alice asks for a link; bob's own (re)open within the window is then answered, not dropped.
    alice.manager.open(bob.hex, { intent: 'user' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked');
    alice.manager.close(bob.hex);
    await waitFor(() => alice.manager.list().length === 0 && bob.manager.list().length === 0, 'closed');
    bob.manager.open(alice.hex);
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'bob’s offer answered within the window');
    expect(alice.manager.stats().invisibleDroppedOffers).toBe(1);

    // After the window, an unasked offer is dropped again.
    bob.manager.close(alice.hex);
    await waitFor(() => alice.manager.list().length === 0 && bob.manager.list().length === 0, 'closed again');
    clock.advance(LINK_DEFAULTS.userIntentWindowMs + 1);
    bob.manager.open(alice.hex);
    await waitFor(() => alice.manager.stats().invisibleDroppedOffers === 2, 'dropped after the window');
  });

  it('PRES-03: going invisible closes every link and cancels reopens; nothing reopens while invisible', async () => {
    const alice = node('alice');
    const bob = node('bob');
    const carol = node('carol');
    befriendNodes(alice, bob, carol);
    await openPair(alice, bob);
    await openPair(carol, alice);
    alice.manager.handleOwnStatus('invisible');
    expect(alice.manager.list()).toEqual([]);
    expect(statesOf(alice, bob).at(-1)).toBe('closed:contact-offline');
    expect(statesOf(alice, carol).at(-1)).toBe('closed:contact-offline');
    await waitFor(() => bob.manager.list().length === 0 && carol.manager.list().length === 0, 'peers closed theirs');

    // A link the user opens while invisible that then drops is not reopened, not even when the
    // contact shows up again.
    alice.manager.open(bob.hex, { intent: 'user' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked on request');
    bob.transports.at(-1)?.close(); // bob's engine goes away without a word
    await waitFor(() => statesOf(alice, bob).at(-1) === 'closed:transport-failed', 'alice saw the drop');
    const sentByAlice = (): number => relay.log.filter((m) => m.from === alice.hex).length;
    const before = sentByAlice();
    alice.manager.handleContactOnline(bob.hex);
    clock.advance(LINK_DEFAULTS.reopenMaxDelayMs * 4);
    expect(sentByAlice()).toBe(before);
    expect(alice.manager.info(bob.hex)).toBeNull();
    bob.manager.close(alice.hex, 'transport-failed');

    // Visible again: automatic opens work again.
    alice.manager.handleOwnStatus('online');
    expect(alice.manager.open(bob.hex, { intent: 'auto' })).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked again');
  });

  it('PRES-03: an offer from a contact who shows offline (invisible, asking on purpose) is answered', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    bob.mutualOnline.delete(alice.hex); // bob sees alice offline: she is invisible
    alice.manager.handleOwnStatus('invisible');
    expect(bob.manager.open(alice.hex)).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });
    alice.manager.open(bob.hex, { intent: 'user' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'linked');
    // A stranger (not a contact at all) is still refused.
    const mallory = node('mallory');
    mallory.mutualOnline.add(bob.hex);
    mallory.manager.open(bob.hex);
    await waitFor(() => bob.manager.stats().refusedOffers === 1, 'stranger refused');
  });
});

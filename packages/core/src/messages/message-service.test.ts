import { bytesToBase64url, hexToBytes } from '@discordopus/protocol';
import { encodeMessageFrame } from '@discordopus/protocol/messages';
import { describe, expect, it } from 'vitest';
import { OTHER_PASSPHRASE, PASSPHRASE } from '../../test/helpers/test-vault';
import { seededRandom } from '../../test/helpers/seeded-random';
import { LinkPair, ManualClock, runUntil, type Faults } from './message-harness.test-helper';
import { byAuthor, RETRANSMIT_MS, TestPeer } from './message-peers.test-helper';
import type { MessageServiceOptions } from './message-service';

async function setup(options: { faults?: Faults; seed?: number; bob?: Partial<MessageServiceOptions> } = {}) {
  const clock = new ManualClock();
  const alice = await TestPeer.create('alice', clock);
  const bob = await TestPeer.create('bob', clock, options.bob ?? {});
  const random = seededRandom(options.seed ?? 1);
  const pair = new LinkPair(alice, bob, { random, ...(options.faults ? { faults: options.faults } : {}) });
  const settled = () => {
    const a = alice.vault.messages.syncPoints(bob.key);
    const b = bob.vault.messages.syncPoints(alice.key);
    return a.peerAcked === a.ownSeq && b.peerAcked === b.ownSeq && a.received === b.ownSeq && b.received === a.ownSeq;
  };
  const run = (done: () => boolean = settled) =>
    runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done });
  return { clock, alice, bob, pair, run, settled };
}

const texts = (peer: TestPeer, other: TestPeer) => peer.history(other.key).map((m) => m.text);

describe('MessageService over an in-process link, real vaults (MSG-01..03)', () => {
  it('MSG-01, MSG-02: both sides send at once; each message arrives once, in order; own messages go queued → sent → delivered', async () => {
    const { alice, bob, pair, run } = await setup();
    pair.open();
    for (let i = 0; i < 5; i++) {
      alice.service.send(bob.key, `a${i}`);
      bob.service.send(alice.key, `b${i}`);
    }
    // Committed before anything is on the wire; nothing is sent before the peer's resume point is known.
    expect(alice.history(bob.key).filter((m) => m.outgoing).map((m) => m.state)).toEqual(Array(5).fill('queued'));
    expect(run()).toBe(true);
    expect(alice.events.filter((e) => e.type === 'receipt').map((e) => (e.payload as { state: string }).state)).toContain('sent');
    for (const [me, other] of [[alice, bob], [bob, alice]] as const) {
      const mine = me.history(other.key).filter((m) => m.outgoing);
      const theirs = other.history(me.key).filter((m) => !m.outgoing);
      expect(theirs.map((m) => m.id)).toEqual(mine.map((m) => m.id));
      expect(mine.map((m) => m.state)).toEqual(Array(5).fill('delivered'));
    }
    expect(texts(bob, alice).filter((t) => t.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(bob.vault.messages.unreadCount(alice.key)).toBe(5);
    expect(alice.events.filter((e) => e.type === 'receipt').map((e) => (e.payload as { state: string }).state)).toContain('delivered');
  });

  it('MSG-02: messages written while the contact is offline wait in the outbox and arrive in order when the link opens', async () => {
    const { alice, bob, pair, run } = await setup();
    const sent = ['first', 'second', 'third'].map((t) => alice.service.send(bob.key, t));
    expect(sent.map((m) => m.state)).toEqual(['queued', 'queued', 'queued']);
    await alice.crash(); // and across a restart of the sender
    pair.open();
    expect(run()).toBe(true);
    expect(texts(bob, alice)).toEqual(['first', 'second', 'third']);
    expect(alice.history(bob.key).map((m) => m.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('MSG-02: after lost acks and a reconnect, resends are recognised by ID and sequence and never shown twice', async () => {
    // Bob's acks and resume points are lost: alice cannot know what arrived, so she resends.
    const { alice, bob, pair, run } = await setup({ faults: { dropIf: (from, f) => from === 'b' && (f.type === 'message.ack' || f.type === 'message.resume') } });
    pair.open();
    for (let i = 0; i < 4; i++) alice.service.send(bob.key, `m${i}`);
    run(() => bob.vault.messages.syncPoints(alice.key).received === 4);
    pair.close();
    pair.open();
    run(() => false); // timers fire, resends go, acks still lost
    const added = bob.events.filter((e) => e.type === 'messageAdded').length;
    pair.faults = {};
    pair.open();
    expect(run()).toBe(true);
    expect(texts(bob, alice)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(bob.events.filter((e) => e.type === 'messageAdded').length).toBe(added);
    expect(alice.history(bob.key).every((m) => m.state === 'delivered')).toBe(true);
    expect(pair.sent.get('message.send')).toBeGreaterThan(4); // it really was resent
  });

  it('MSG-01: a read receipt that arrives before the ack marks the message read; turning read receipts off sends none', async () => {
    const { alice, bob, pair, run } = await setup({ faults: { dropIf: (from, f) => from === 'b' && f.type === 'message.ack' } });
    pair.open();
    const m = alice.service.send(bob.key, 'did you read this?');
    run(() => bob.vault.messages.syncPoints(alice.key).received === 1);
    expect(alice.vault.messages.get(bob.key, m.id)?.state).toBe('sent');
    bob.service.markRead(alice.key, 1);
    run(() => alice.vault.messages.get(bob.key, m.id)?.state === 'read');
    expect(alice.vault.messages.get(bob.key, m.id)?.state).toBe('read');
    expect(bob.vault.messages.unreadCount(alice.key)).toBe(0);

    // The privacy setting, read from bob's vault at each receipt (as the composition root wires it).
    let bobVault: { settings: { get(k: 'privacy.sendReadReceipts'): boolean } } | null = null;
    const quiet = await setup({ bob: { sendReadReceipts: () => bobVault!.settings.get('privacy.sendReadReceipts') } });
    bobVault = quiet.bob.vault;
    quiet.bob.vault.settings.set('privacy.sendReadReceipts', false);
    quiet.pair.open();
    const q = quiet.alice.service.send(quiet.bob.key, 'private');
    quiet.run();
    quiet.bob.service.markRead(quiet.alice.key, 1);
    quiet.pair.close();
    quiet.pair.open();
    quiet.run();
    expect(quiet.alice.vault.messages.get(quiet.bob.key, q.id)?.state).toBe('delivered');
    expect(quiet.pair.sent.get('receipt.read') ?? 0).toBe(0);
    expect(quiet.bob.vault.messages.unreadCount(quiet.alice.key)).toBe(0);
  });

  it('MSG-01: typing is sent at most every few seconds, expires by itself, clears on a message and is never stored', async () => {
    const { clock, alice, bob, pair, run } = await setup();
    pair.open();
    run();
    const before = bob.vault.messages.syncPoints(alice.key);
    for (let i = 0; i < 10; i++) {
      alice.service.setTyping(bob.key, true);
      clock.advance(200);
    }
    run(() => true);
    expect(pair.sent.get('typing.state')).toBe(1);
    const typing = () => bob.events.filter((e) => e.type === 'typing').map((e) => (e.payload as { typing: boolean }).typing);
    expect(typing()).toEqual([true]);
    clock.advance(6_000);
    expect(typing()).toEqual([true, false]);
    alice.service.setTyping(bob.key, true);
    run(() => true);
    alice.service.send(bob.key, 'done typing');
    run();
    expect(typing()).toEqual([true, false, true, false]);
    expect(bob.vault.messages.syncPoints(alice.key).received).toBe(before.received + 1);
  });

  it('MSG-03: edits, deletes, replies and reactions made before the peer received the message converge on both sides', async () => {
    const { alice, bob, pair, run } = await setup({ faults: { reorder: 0.3, duplicate: 0.2 } });
    const m1 = alice.service.send(bob.key, 'draft one');
    const m2 = alice.service.send(bob.key, 'to be deleted');
    alice.service.edit(bob.key, m1.id, 'final one');
    alice.service.toggleReaction(bob.key, m1.id, '👍');
    alice.service.delete(bob.key, m2.id);
    const reply = alice.service.send(bob.key, 'replying', { replyTo: m1.id });
    pair.open();
    expect(run()).toBe(true);
    bob.service.toggleReaction(alice.key, m1.id, '🎉');
    bob.service.toggleReaction(alice.key, reply.id, '👀');
    bob.service.toggleReaction(alice.key, reply.id, '👀');
    expect(run()).toBe(true);
    expect(bob.snapshot(alice.key)).toEqual(alice.snapshot(bob.key));
    const onBob = bob.history(alice.key);
    expect(onBob.map((m) => [m.text, m.deleted])).toEqual([['final one', false], ['', true], ['replying', false]]);
    expect(onBob[0]!.reactions).toEqual([{ emoji: '🎉', by: [bob.key] }, { emoji: '👍', by: [alice.key] }]);
    expect(onBob[2]!.replyTo).toBe(m1.id);
    expect(onBob[2]!.reactions).toEqual([]);
  });

  it('MSG-02: frames lost on a live link are recovered on it: a gap asks for a resume, silence fires the retransmit timer', async () => {
    const toDrop = new Set([2, 5]); // each lost once
    const { alice, bob, pair, run, clock } = await setup({
      faults: { dropIf: (from, f) => from === 'a' && f.type === 'message.send' && toDrop.delete(f.seq) },
    });
    pair.open();
    for (let i = 0; i < 3; i++) alice.service.send(bob.key, `m${i}`);
    run(() => true); // no time passes: only the gap after the lost m1 can bring it back
    expect(texts(bob, alice)).toEqual(['m0', 'm1', 'm2']);
    alice.service.send(bob.key, 'm3');
    alice.service.send(bob.key, 'm4'); // seq 5, lost, and nothing after it shows a gap
    run(() => true);
    expect(texts(bob, alice)).toEqual(['m0', 'm1', 'm2', 'm3']);
    clock.advance(RETRANSMIT_MS);
    run(() => true);
    expect(texts(bob, alice)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(toDrop.size).toBe(0);
  });

  it('MSG-02: a crash of the receiver between its commit and its ack, and of the sender before the send, loses and doubles nothing', async () => {
    const { alice, bob, pair, run } = await setup({ faults: { dropIf: (from, f) => from === 'b' && f.type === 'message.ack' } });
    pair.open();
    run();
    alice.service.send(bob.key, 'stored, never acked');
    run(() => bob.vault.messages.syncPoints(alice.key).received === 1);
    pair.forget();
    await bob.crash(); // committed, the ack never left
    const waiting = alice.service.send(bob.key, 'committed, never sent');
    expect(alice.service.peersWithPending()).toEqual([bob.key]);
    await alice.crash(); // before the send
    pair.faults = {};
    pair.open();
    expect(run()).toBe(true);
    expect(texts(bob, alice)).toEqual(['stored, never acked', 'committed, never sent']);
    expect(alice.vault.messages.get(bob.key, waiting.id)?.state).toBe('delivered');
    expect(alice.service.peersWithPending()).toEqual([]);
  });

  it('MSG-02: a rate limit during a resend holds the rest back without reordering or losing any', async () => {
    const { alice, bob, pair, run } = await setup({ faults: { refuse: 0.3 } });
    for (let i = 0; i < 60; i++) alice.service.send(bob.key, `backlog ${i}`);
    pair.open();
    expect(run()).toBe(true);
    expect(texts(bob, alice)).toEqual(Array.from({ length: 60 }, (_, i) => `backlog ${i}`));
  });

  it('MSG-02: a stale link (one side never saw it die) is replaced by the next one; a passphrase change mid-stream loses nothing', async () => {
    const { alice, bob, pair, run } = await setup();
    pair.open();
    alice.service.send(bob.key, 'before');
    run();
    pair.forget(); // bob's process restarts inside the server's offline grace: no one says "closed"
    await bob.crash();
    alice.service.send(bob.key, 'into the stale link');
    pair.open();
    const m = alice.service.send(bob.key, 'after');
    await alice.vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    bob.service.send(alice.key, 'reply');
    expect(run()).toBe(true);
    expect(texts(bob, alice).filter((t) => t !== 'reply')).toEqual(['before', 'into the stale link', 'after']);
    expect(texts(alice, bob)).toEqual(['before', 'into the stale link', 'after', 'reply']);
    expect(alice.vault.messages.get(bob.key, m.id)?.state).toBe('delivered');
  });
});

describe('a peer restored from a backup into an empty profile (MSG-02, PROTOCOL.md §7.3)', () => {
  it('MSG-02: its numbering starts again at 1 in a new epoch; nothing either side writes from then on is lost or doubled, across later reconnects', async () => {
    const clock = new ManualClock();
    const alice = await TestPeer.create('alice', clock);
    const bob = await TestPeer.create('bob', clock);
    const random = seededRandom(7);
    let pair = new LinkPair(alice, bob, { random });
    const runFor = (p: LinkPair, done: () => boolean, peers: TestPeer[]) =>
      runUntil(p, () => peers.map((x) => x.tasks), clock, { random, retransmitMs: RETRANSMIT_MS, done });
    pair.open();
    for (let i = 0; i < 3; i++) {
      alice.service.send(bob.key, `a${i}`);
      bob.service.send(alice.key, `b${i}`);
    }
    expect(runFor(pair, () => texts(alice, bob).length === 6 && texts(bob, alice).length === 6 && alice.vault.messages.syncPoints(bob.key).peerAcked === 3, [alice, bob])).toBe(true);
    pair.close();
    alice.service.send(bob.key, 'a-while-bob-reinstalls'); // waits in alice's outbox

    // Bob loses his computer and restores his identity from a backup: no history, numbering from 1.
    const bob2 = await TestPeer.restoredFrom(bob, 'bob2', clock);
    expect(bob2.key).toBe(bob.key);
    expect(bob2.vault.messages.syncPoints(alice.key).ownSeq).toBe(0);
    pair = new LinkPair(alice, bob2, { random });
    pair.open();
    bob2.service.send(alice.key, 'b-new-1');
    bob2.service.send(alice.key, 'b-new-2');
    alice.service.send(bob.key, 'a-after');
    const fromBob = () => alice.history(bob.key).filter((m) => !m.outgoing).map((m) => m.text);
    const atBob2 = () => bob2.history(alice.key).map((m) => m.text);
    const done = () =>
      fromBob().length === 5 && atBob2().length === 4 && alice.vault.messages.syncPoints(bob.key).peerAcked === alice.vault.messages.syncPoints(bob.key).ownSeq;
    expect(runFor(pair, done, [alice, bob2])).toBe(true);
    expect(fromBob()).toEqual(['b0', 'b1', 'b2', 'b-new-1', 'b-new-2']);
    expect(bob2.history(alice.key).filter((m) => !m.outgoing).map((m) => m.text)).toEqual(['a-while-bob-reinstalls', 'a-after']);
    expect(bob2.history(alice.key).filter((m) => m.outgoing).map((m) => m.text)).toEqual(['b-new-1', 'b-new-2']);
    // Delivered, and the old ones not "read" by a bob who never had them.
    expect(alice.history(bob.key).filter((m) => m.outgoing).map((m) => m.state)).toEqual(Array(5).fill('delivered'));
    await waitForAcks(() => bob2.vault.messages.syncPoints(alice.key), runFor, pair, [alice, bob2]);
    expect(bob2.history(alice.key).filter((m) => m.outgoing).map((m) => m.state)).toEqual(['delivered', 'delivered']);

    // bob2 reads what alice wrote since: the receipt names alice's own numbers.
    const aAfter = bob2.history(alice.key).find((m) => m.text === 'a-after')!;
    bob2.service.markRead(alice.key, aAfter.seq);
    expect(runFor(pair, () => alice.history(bob.key).find((m) => m.text === 'a-after')?.state === 'read', [alice, bob2])).toBe(true);
    expect(alice.history(bob.key).filter((m) => m.outgoing).map((m) => m.state)).toEqual(['read', 'read', 'read', 'read', 'read']);

    // Later links resume from the new points: nothing again, nothing lost.
    pair.close();
    pair.open();
    bob2.service.send(alice.key, 'b-new-3');
    alice.service.send(bob.key, 'a-later');
    expect(runFor(pair, () => fromBob().length === 6 && atBob2().includes('a-later'), [alice, bob2])).toBe(true);
    expect(fromBob()).toEqual(['b0', 'b1', 'b2', 'b-new-1', 'b-new-2', 'b-new-3']);
    expect(atBob2().filter((t) => t.startsWith('a'))).toEqual(['a-while-bob-reinstalls', 'a-after', 'a-later']);
    expect(alice.service.refusals()).toEqual({});
    expect(bob2.service.refusals()).toEqual({});
  });
});

async function waitForAcks(points: () => { ownSeq: number; peerAcked: number }, runFor: (p: LinkPair, done: () => boolean, peers: TestPeer[]) => boolean, pair: LinkPair, peers: TestPeer[]): Promise<void> {
  expect(runFor(pair, () => points().peerAcked === points().ownSeq, peers)).toBe(true);
}

describe('MessageService refuses and counts bad frames (MSG-01..03)', () => {
  it('oversized, malformed, out-of-sequence, forged-author, not-the-author and beyond-the-end frames are refused; the conversation stays intact', async () => {
    const { alice, bob, pair, run } = await setup();
    pair.open();
    const a1 = alice.service.send(bob.key, 'hello');
    const b1 = bob.service.send(alice.key, 'hi');
    expect(run()).toBe(true);
    const before = bob.snapshot(alice.key);
    const aliceWire = bytesToBase64url(hexToBytes(alice.key));
    const mallory = bytesToBase64url(new Uint8Array(32).fill(5));
    const next = alice.vault.messages.syncPoints(bob.key).ownSeq + 1;
    const send = (over: object) => ({ type: 'message.send', seq: next, author: aliceWire, id: 'QUJDREVGR0hJSktMTU5PUA', sentAt: 1, text: 'x', replyTo: null, editedAt: null, deleted: false, ...over });
    pair.inject('a', encodeMessageFrame(send({ text: 'y'.repeat(5000) }) as never));
    pair.inject('a', JSON.stringify({ ...send({}), text: 'z'.repeat(70_000) }));
    pair.inject('a', '{"type":"message.send",');
    pair.inject('a', { type: 'message.edit', seq: 'one' });
    pair.inject('a', send({ seq: next + 5 }));
    pair.inject('a', send({ author: mallory }));
    // In sequence and well-formed, but an edit of bob's own message: the number is used up, the edit refused.
    pair.inject('a', { type: 'message.edit', seq: next, author: aliceWire, id: b1.id, text: 'pwned', editedAt: 9 });
    pair.inject('a', { type: 'message.ack', upTo: 999 });
    pair.inject('a', { type: 'receipt.read', upTo: 999 });
    run(() => true);
    expect(bob.service.refusals()).toEqual({
      oversized: 2,
      malformed: 2,
      'out-of-sequence': 1,
      'forged-author': 1,
      'not-author': 1,
      'ack-beyond': 1,
      'receipt-beyond': 1,
    });
    expect(bob.snapshot(alice.key)).toEqual(before);
    expect(bob.vault.messages.get(alice.key, b1.id)?.text).toBe('hi');
    // The refused edit used up its number (on a real link only alice can send it, so her own
    // numbering agrees), and the conversation goes on.
    expect(bob.vault.messages.syncPoints(alice.key).received).toBe(next);
    bob.service.send(alice.key, 'still talking');
    run(() => alice.vault.messages.syncPoints(bob.key).received === 2);
    expect(texts(alice, bob)).toEqual(['hello', 'hi', 'still talking']);
    expect(alice.vault.messages.get(bob.key, a1.id)?.state).toBe('delivered');
  });

  it('a frame that arrives after the vault closed is dropped without throwing; nothing is acknowledged', async () => {
    const { alice, bob, pair, run } = await setup();
    pair.open();
    run();
    alice.service.send(bob.key, 'late');
    bob.vault.close();
    expect(() => run(() => true)).not.toThrow();
    expect(pair.sent.get('message.ack') ?? 0).toBe(0);
    expect(() => pair.inject('a', { type: 'message.ack', upTo: 1 })).not.toThrow();
  });

  it('a resend whose ID differs from what is stored under its sequence number is a conflict, not a second message', async () => {
    const { alice, bob, pair, run } = await setup();
    pair.open();
    const m = alice.service.send(bob.key, 'original');
    expect(run()).toBe(true);
    const aliceWire = bytesToBase64url(hexToBytes(alice.key));
    pair.inject('a', { type: 'message.send', seq: m.seq, author: aliceWire, id: 'QUJDREVGR0hJSktMTU5PUA', sentAt: 1, text: 'imposter', replyTo: null, editedAt: null, deleted: false });
    pair.inject('a', { type: 'message.send', seq: m.seq, author: aliceWire, id: m.id, sentAt: 1, text: 'original', replyTo: null, editedAt: null, deleted: false });
    run(() => true);
    expect(bob.service.refusals()).toEqual({ 'duplicate-conflict': 1 });
    expect(texts(bob, alice)).toEqual(['original']);
    expect(byAuthor(bob.snapshot(alice.key), alice.key)).toHaveLength(1);
  });
});

import { bytesToBase64url, hexToBytes } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random';
import { codeOf } from '../../test/helpers/test-vault';
import { REACTION_LIMITS } from './apply-incoming';
import { LinkPair, ManualClock, runUntil } from './message-harness.test-helper';
import { RETRANSMIT_MS, TestPeer } from './message-peers.test-helper';

const emoji = (i: number) => String.fromCodePoint(0x1f600 + i);

describe('reactions are capped per user and per message (MSG-03, PROTOCOL.md §7.5, review finding 8)', () => {
  it('MSG-03: a user’s distinct reactions on one message stop at the cap with TOO_MANY_REACTIONS; removing one makes room; the peer’s count apart', async () => {
    const clock = new ManualClock();
    const random = seededRandom(11);
    const alice = await TestPeer.create('alice', clock);
    const bob = await TestPeer.create('bob', clock);
    const pair = new LinkPair(alice, bob, { random });
    pair.open();
    const m = alice.service.send(bob.key, 'react to this');
    const run = (done: () => boolean) => runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done });
    expect(run(() => bob.vault.messages.get(alice.key, m.id) !== null)).toBe(true);

    for (let i = 0; i < REACTION_LIMITS.perUser; i++) bob.service.toggleReaction(alice.key, m.id, emoji(i));
    const before = bob.vault.messages.syncPoints(alice.key).ownSeq;
    expect(codeOf(() => bob.service.toggleReaction(alice.key, m.id, emoji(25)))).toBe('TOO_MANY_REACTIONS');
    expect(bob.vault.messages.syncPoints(alice.key).ownSeq).toBe(before); // nothing stored, nothing queued
    bob.service.toggleReaction(alice.key, m.id, emoji(0)); // off
    bob.service.toggleReaction(alice.key, m.id, emoji(25)); // room again

    expect(run(() => alice.vault.messages.get(bob.key, m.id)!.reactions.length === REACTION_LIMITS.perUser)).toBe(true);
    // Alice fills the rest of the message's room; her next distinct one is refused.
    const room = REACTION_LIMITS.perMessage - REACTION_LIMITS.perUser;
    for (let i = 0; i < room; i++) alice.service.toggleReaction(bob.key, m.id, emoji(40 + i));
    expect(codeOf(() => alice.service.toggleReaction(bob.key, m.id, emoji(26)))).toBe('TOO_MANY_REACTIONS');
    expect(run(() => bob.vault.messages.get(alice.key, m.id)!.reactions.length === REACTION_LIMITS.perMessage)).toBe(true);
    expect(alice.vault.messages.get(bob.key, m.id)!.reactions).toEqual(bob.vault.messages.get(alice.key, m.id)!.reactions);
  });

  it('MSG-03: a peer’s frames past the cap are refused (`too-many-reactions`), their numbers used, the conversation goes on', async () => {
    const clock = new ManualClock();
    const random = seededRandom(12);
    const alice = await TestPeer.create('alice', clock);
    const bob = await TestPeer.create('bob', clock);
    const pair = new LinkPair(alice, bob, { random });
    pair.open();
    const m = bob.service.send(alice.key, 'mine');
    const run = (done: () => boolean) => runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done });
    expect(run(() => alice.vault.messages.syncPoints(bob.key).received === 1)).toBe(true);
    const aliceWire = bytesToBase64url(hexToBytes(alice.key));
    const frames = 50;
    for (let seq = 1; seq <= frames; seq++) {
      pair.inject('a', { type: 'message.react', seq, author: aliceWire, id: m.id, emoji: emoji(seq), on: true, at: 1 });
    }
    expect(run(() => bob.vault.messages.syncPoints(alice.key).received === frames)).toBe(true);
    expect(bob.vault.messages.get(alice.key, m.id)!.reactions).toHaveLength(REACTION_LIMITS.perUser);
    expect(bob.service.refusals()).toEqual({ 'too-many-reactions': frames - REACTION_LIMITS.perUser });
    // An emoji already there may be said again (a resend), and one taken off makes room.
    pair.inject('a', { type: 'message.react', seq: frames + 1, author: aliceWire, id: m.id, emoji: emoji(1), on: true, at: 1 });
    pair.inject('a', { type: 'message.react', seq: frames + 2, author: aliceWire, id: m.id, emoji: emoji(1), on: false, at: 1 });
    pair.inject('a', { type: 'message.react', seq: frames + 3, author: aliceWire, id: m.id, emoji: emoji(45), on: true, at: 1 });
    expect(run(() => bob.vault.messages.syncPoints(alice.key).received === frames + 3)).toBe(true);
    expect(bob.service.refusals()).toEqual({ 'too-many-reactions': frames - REACTION_LIMITS.perUser });
    expect(bob.vault.messages.get(alice.key, m.id)!.reactions.map((r) => r.emoji)).toContain(emoji(45));
  });
});

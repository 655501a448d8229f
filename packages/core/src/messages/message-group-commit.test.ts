import { bytesToHex } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random';
import { Identity } from '../identity/identity';
import { LinkPair, ManualClock, runUntil, TaskQueue } from './message-harness.test-helper';
import { RETRANSMIT_MS, TestPeer } from './message-peers.test-helper';
import type { MessageStore } from './message-store';
import type { StoredMessage } from './message-types';

/** Counts the store's group commits (the real store does the work). */
function countBatches(store: MessageStore): number[] {
  const sizes: number[] = [];
  const real = store.sendBatch.bind(store);
  store.sendBatch = (items) => {
    sizes.push(items.length);
    return real(items);
  };
  return sizes;
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'NO ERROR', (err: { code?: string }) => err.code ?? 'no code');

describe('group commit of own messages (MSG-02, VAULT-03)', () => {
  it('MSG-02, VAULT-03: messages asked for in one turn by several senders to several contacts are committed in one transaction; no caller is told before it', async () => {
    const clock = new ManualClock();
    const commits = new TaskQueue();
    const alice = await TestPeer.create('alice', clock, { scheduleCommit: commits.schedule });
    const [bob, carol] = [bytesToHex(Identity.create('Bob').publicKey), bytesToHex(Identity.create('Carol').publicKey)];
    const batches = countBatches(alice.vault.messages);
    const told: StoredMessage[] = [];
    const sends: Promise<StoredMessage>[] = [];
    for (let i = 0; i < 30; i++) {
      const p = alice.service.sendAsync(i % 3 === 0 ? carol : bob, `sender ${i % 4} message ${i}`);
      sends.push(p.then((m) => (told.push(m), m)));
    }
    await Promise.resolve();
    expect(told).toHaveLength(0);
    expect(alice.vault.messages.syncPoints(bob).ownSeq).toBe(0); // nothing committed yet
    expect(commits.tasks).toHaveLength(1); // one commit scheduled for the whole turn
    commits.runOne();
    const messages = await Promise.all(sends);
    expect(batches).toEqual([30]);
    expect(messages.map((m) => m.text)).toEqual(Array.from({ length: 30 }, (_, i) => `sender ${i % 4} message ${i}`));
    expect(alice.history(bob).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(alice.history(carol)).toHaveLength(10);
    expect(messages.every((m) => m.state === 'queued' && m.outgoing)).toBe(true);
    expect(alice.events.filter((e) => e.type === 'messageAdded')).toHaveLength(30);
  });

  it('MSG-01: a bad message in a group fails alone with its own error; the others are committed', async () => {
    const clock = new ManualClock();
    const commits = new TaskQueue();
    const alice = await TestPeer.create('alice', clock, { scheduleCommit: commits.schedule });
    const bob = bytesToHex(Identity.create('Bob').publicKey);
    const ok1 = alice.service.sendAsync(bob, 'first');
    const blank = alice.service.sendAsync(bob, '   ');
    const badReply = alice.service.sendAsync(bob, 'reply', { replyTo: 'AAAAAAAAAAAAAAAAAAAAAA' });
    const badPeer = alice.service.sendAsync('not a key', 'x');
    const ok2 = alice.service.sendAsync(bob, 'second');
    commits.runOne();
    expect(await codeOf(blank)).toBe('BAD_MESSAGE_TEXT');
    expect(await codeOf(badReply)).toBe('MESSAGE_NOT_FOUND');
    expect(await codeOf(badPeer)).toBe('BAD_PEER_KEY');
    expect([(await ok1).seq, (await ok2).seq]).toEqual([1, 2]);
    expect(alice.history(bob).map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('MSG-02: if the work after the commit fails (the vault closed by a listener), the callers still learn their committed messages; nothing throws out of the commit turn', async () => {
    const clock = new ManualClock();
    const commits = new TaskQueue();
    const alice = await TestPeer.create('alice', clock, { scheduleCommit: commits.schedule });
    const bob = await TestPeer.create('bob', clock);
    const pair = new LinkPair(alice, bob, { random: seededRandom(4) });
    pair.open(); // a live link: after the commit the service reads the messages again
    alice.service.on('messageAdded', () => alice.vault.close());
    const sends = [alice.service.sendAsync(bob.key, 'one'), alice.service.sendAsync(bob.key, 'two')];
    expect(() => commits.runOne()).not.toThrow();
    expect((await Promise.all(sends)).map((m) => [m.seq, m.text])).toEqual([[1, 'one'], [2, 'two']]);
  });

  it('MSG-02: four senders on each side, both directions at once, over a lossy link: every message arrives once, in order per sender, delivered; a stop commits what was asked for', async () => {
    const clock = new ManualClock();
    const random = seededRandom(21);
    const [aCommits, bCommits] = [new TaskQueue(), new TaskQueue()];
    const alice = await TestPeer.create('alice', clock, { scheduleCommit: aCommits.schedule });
    const bob = await TestPeer.create('bob', clock, { scheduleCommit: bCommits.schedule });
    const batches = countBatches(alice.vault.messages);
    const pair = new LinkPair(alice, bob, { random, faults: { drop: 0.05, duplicate: 0.05, refuse: 0.05 } });
    pair.open();
    const perSender = 25;
    const sends: Promise<StoredMessage>[] = [];
    for (let i = 0; i < perSender; i++) {
      for (let s = 0; s < 4; s++) {
        sends.push(alice.service.sendAsync(bob.key, `a${s}-${i}`), bob.service.sendAsync(alice.key, `b${s}-${i}`));
      }
      if (i % 5 === 4) {
        aCommits.runOne(); // a turn ends: what the senders asked for so far is one commit
        bCommits.runOne();
        runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done: () => true, rounds: 1 });
      }
    }
    await Promise.all(sends);
    expect(batches).toEqual([20, 20, 20, 20, 20]);
    const total = 4 * perSender;
    const settled = () => {
      const a = alice.vault.messages.syncPoints(bob.key);
      const b = bob.vault.messages.syncPoints(alice.key);
      return a.peerAcked === total && b.peerAcked === total && a.received === total && b.received === total;
    };
    expect(runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done: settled })).toBe(true);
    for (const [reader, writer, prefix] of [[bob, alice, 'a'], [alice, bob, 'b']] as const) {
      const got = reader.history(writer.key).filter((m) => !m.outgoing).map((m) => m.text);
      expect(got).toHaveLength(total);
      for (let s = 0; s < 4; s++) expect(got.filter((t) => t.startsWith(`${prefix}${s}-`))).toEqual(Array.from({ length: perSender }, (_, i) => `${prefix}${s}-${i}`));
      expect(writer.history(reader.key).filter((m) => m.outgoing).every((m) => m.state === 'delivered')).toBe(true);
    }

    // Asked for, then the service stops before its commit turn: committed on stop, the caller told.
    const last = alice.service.sendAsync(bob.key, 'just before the stop');
    alice.service.close();
    expect((await last).seq).toBe(total + 1);
    expect(alice.vault.messages.syncPoints(bob.key).ownSeq).toBe(total + 1);
  });
});

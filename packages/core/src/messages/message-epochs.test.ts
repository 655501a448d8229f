import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { bytesToBase64url } from '@discordopus/protocol';
import type { MessageFrame } from '@discordopus/protocol/messages';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random';
import { tempDir } from '../../test/helpers/temp-dir';
import { Connection } from '../vault/connection';
import { runMigrations } from '../vault/migrations/run-migrations';
import { openEncrypted } from '../vault/sqlcipher';
import { LinkPair, ManualClock, runUntil, TaskQueue, type Faults } from './message-harness.test-helper';
import { RETRANSMIT_MS, TestPeer } from './message-peers.test-helper';
import { MessageService } from './message-service';
import { MessageStore } from './message-store';

const fromPeer = (peer: TestPeer, other: TestPeer) => peer.history(other.key).filter((m) => !m.outgoing).map((m) => m.text);

/**
 * Bob's conversation is made in the middle of a link (alice's message reaches him first); the
 * resume that announces his epoch meets `faults`. Later bob restores from a backup and writes
 * again: review finding 2's scenario (/tmp/rv/legacy-trap.mts).
 */
async function announceThenRestore(faults: Faults) {
  const clock = new ManualClock();
  const random = seededRandom(7);
  const alice = await TestPeer.create('alice', clock);
  const bob = await TestPeer.create('bob', clock);
  const runFor = (p: LinkPair, peers: TestPeer[], done: () => boolean) =>
    runUntil(p, () => peers.map((x) => x.tasks), clock, { random, retransmitMs: RETRANSMIT_MS, done });
  alice.service.send(bob.key, 'a0');
  let pair = new LinkPair(alice, bob, { random, faults });
  pair.open();
  expect(runFor(pair, [alice, bob], () => fromPeer(bob, alice).length === 1)).toBe(true);
  for (const t of ['b0', 'b1', 'b2']) bob.service.send(alice.key, t);
  expect(runFor(pair, [alice, bob], () => fromPeer(alice, bob).length === 3 && bob.vault.messages.syncPoints(alice.key).peerAcked === 3)).toBe(true);
  const aliceViewBefore = alice.vault.messages.syncPoints(bob.key);
  pair.close();

  const bob2 = await TestPeer.restoredFrom(bob, 'bob2', clock);
  pair = new LinkPair(alice, bob2, { random });
  pair.open();
  bob2.service.send(alice.key, 'b-new-1');
  alice.service.send(bob.key, 'a-after');
  const delivered = runFor(pair, [alice, bob2], () => fromPeer(alice, bob).includes('b-new-1') && fromPeer(bob2, alice).includes('a-after'));
  return { alice, bob, bob2, aliceViewBefore, delivered };
}

const epochResume = (frame: MessageFrame) => frame.type === 'message.resume' && frame.epoch != null;

describe('numbering epochs are announced reliably and flagged explicitly (MSG-02, PROTOCOL.md §7.3, review finding 2)', () => {
  it('MSG-02: a refused epoch announcement is said again before any change: the peer learns the epoch, and a later restore loses nothing', async () => {
    let refused = 0;
    const { alice, bob, bob2, aliceViewBefore, delivered } = await announceThenRestore({
      refuseIf: (from, frame) => from === 'b' && epochResume(frame) && refused++ === 0,
    });
    expect(refused).toBeGreaterThan(1); // the first was refused, a later one went
    expect(aliceViewBefore.peerEpoch).toBe(bob.vault.messages.syncPoints(alice.key).ownEpoch);
    expect(delivered).toBe(true);
    expect(fromPeer(alice, bob)).toEqual(['b0', 'b1', 'b2', 'b-new-1']);
    expect(alice.service.refusals()).toEqual({});
    expect(bob2.service.refusals()).toEqual({});
  });

  it('MSG-02: the reviewer’s reproduction: the announcement lost on the wire, the stream held without an epoch, then a restore: the new stream is not taken for the old one', async () => {
    let dropped = 0;
    const { alice, bob, bob2, aliceViewBefore, delivered } = await announceThenRestore({
      dropIf: (from, frame) => from === 'b' && epochResume(frame) && dropped++ === 0,
    });
    expect(dropped).toBeGreaterThan(0);
    expect(aliceViewBefore.peerEpoch).toBeNull(); // the trap: alice holds bob's stream without an epoch
    expect(delivered).toBe(true);
    expect(fromPeer(alice, bob)).toEqual(['b0', 'b1', 'b2', 'b-new-1']);
    expect(alice.service.refusals()).toEqual({}); // before the fix: duplicate-conflict at every retransmit, forever
    // Alice's first resume counts in bob's old stream (she holds it without an epoch): bob2 refuses it once, nothing more.
    expect(bob2.service.refusals()).toEqual({ 'resume-beyond': 1 });
  });

  it('MSG-02, VAULT-03: conversations from before epochs get an epoch flagged `continued` by the migrations; the peer keeps its numbering, resends stay duplicates', () => {
    const clock = new ManualClock();
    const random = seededRandom(3);
    const [aliceKey, bobKey] = [randomBytes(32), randomBytes(32)];
    // Alice wrote 1..3, bob stored all three, alice's acks for 2 and 3 were lost: both vaults at version 5.
    const legacy = (own: Buffer, peer: Buffer, points: [number, number, number], rows: [number, number, string][], outbox: number[]) => {
      const db = openEncrypted(join(tempDir('dopus-epoch-'), 'vault.db'), randomBytes(32), { create: true });
      runMigrations(db, { target: 5 });
      db.prepare('INSERT INTO conversations (peer_key, created_at, last_activity_at, own_seq, peer_acked_seq, received_seq) VALUES (?, 1, 1, ?, ?, ?)').run(peer, ...points);
      for (const [outgoing, seq, text] of rows) {
        const id = Buffer.from(`${text}-0123456789abcdef`).subarray(0, 16);
        db.prepare("INSERT INTO messages (id, conversation_id, outgoing, seq, text, sent_at, received_at, state) VALUES (?, 1, ?, ?, ?, 1, 1, 'delivered')").run(id, outgoing, seq, text);
      }
      for (const seq of outbox) db.prepare("INSERT INTO outbox (conversation_id, seq, kind, message_rowid, at) VALUES (1, ?, 'send', ?, 1)").run(seq, seq);
      runMigrations(db);
      const store = new MessageStore({ connection: new Connection(db), ownPublicKey: own, now: () => clock.now() });
      const tasks = new TaskQueue();
      const service = new MessageService({ store, clock: clock.view(), schedule: tasks.schedule, retransmitMs: RETRANSMIT_MS });
      return { key: own.toString('hex'), store, service, tasks };
    };
    const msgs: [number, number, string][] = [[1, 1, 'aa1'], [1, 2, 'aa2'], [1, 3, 'aa3']];
    const alice = legacy(aliceKey, bobKey, [3, 1, 0], msgs, [2, 3]);
    const bob = legacy(bobKey, aliceKey, [0, 0, 3], msgs.map(([, seq, text]) => [0, seq, text]), []);
    expect(alice.store.syncPoints(bob.key)).toMatchObject({ ownEpochContinued: true, peerEpoch: null });
    expect(bob.store.syncPoints(alice.key)).toMatchObject({ ownEpochContinued: false, received: 3 });

    const pair = new LinkPair(alice, bob, { random });
    pair.open();
    alice.service.send(bob.key, 'aa4');
    const done = () => bob.store.syncPoints(alice.key).received === 4 && alice.store.syncPoints(bob.key).peerAcked === 4;
    expect(runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done })).toBe(true);
    expect(bob.store.syncPoints(alice.key)).toMatchObject({ peerEpoch: alice.store.syncPoints(bob.key).ownEpoch, peerSeqBase: 0 });
    const page = bob.store.history(alice.key, { limit: 10 }).messages;
    expect(page.map((m) => [m.seq, m.text])).toEqual([[1, 'aa1'], [2, 'aa2'], [3, 'aa3'], [4, 'aa4']]);
    expect(bob.service.refusals()).toEqual({});
  });

  it('MSG-02: a peer flipping epochs on one link gets one new epoch adopted; the rest are refused (`epoch-flip`) and change nothing', async () => {
    const clock = new ManualClock();
    const random = seededRandom(5);
    const alice = await TestPeer.create('alice', clock);
    const bob = await TestPeer.create('bob', clock);
    const pair = new LinkPair(alice, bob, { random });
    pair.open();
    alice.service.send(bob.key, 'hello');
    expect(runUntil(pair, () => [alice.tasks, bob.tasks], clock, { random, retransmitMs: RETRANSMIT_MS, done: () => alice.vault.messages.syncPoints(bob.key).peerAcked === 1 })).toBe(true);
    const held = bob.vault.messages.syncPoints(alice.key);
    for (let i = 0; i < 5; i++) {
      pair.inject('a', { type: 'message.resume', received: 0, read: null, epoch: bytesToBase64url(randomBytes(8)), receivedEpoch: null, from: 1 });
    }
    expect(bob.service.refusals()).toEqual({ 'epoch-flip': 5 });
    expect(bob.vault.messages.syncPoints(alice.key)).toEqual(held);
  });
});

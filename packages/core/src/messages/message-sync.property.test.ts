import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random';
import { LinkPair, ManualClock, runUntil } from './message-harness.test-helper';
import { byAuthor, RETRANSMIT_MS, TestPeer } from './message-peers.test-helper';

type Who = 'a' | 'b';
type Action =
  | { t: 'send'; who: Who; n: number }
  | { t: 'edit' | 'delete' | 'read'; who: Who }
  | { t: 'react'; who: Who; pick: number; emoji: number }
  | { t: 'steps'; n: number }
  | { t: 'close' | 'open' | 'time' }
  | { t: 'crash'; who: Who };

const who = fc.constantFrom<Who>('a', 'b');
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('send' as const), who, n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('edit' as const, 'delete' as const, 'read' as const), who }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('react' as const), who, pick: fc.nat(), emoji: fc.nat(1) }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('steps' as const), n: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('close' as const, 'open' as const, 'time' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crash' as const), who }) },
);

const EMOJI = ['👍', '🎉'];
/** More schedules on demand: MSG_PROPERTY_RUNS=500 npx vitest run <this file>. */
const RUNS = Number(process.env.MSG_PROPERTY_RUNS ?? 20);

describe('exactly once, in order, across drops and crashes (MSG-02, property)', () => {
  it(
    `MSG-02: over ${RUNS} random schedules (sends from both sides, edits, deletes, reactions, reads, links dropping, duplicated/reordered/refused frames, crashes of either side) every message arrives exactly once and in order, and both histories converge`,
    { timeout: 240_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 60 }), fc.integer(), async (actions, seed) => {
          const clock = new ManualClock();
          const peers = { a: await TestPeer.create('alice', clock), b: await TestPeer.create('bob', clock) };
          const random = seededRandom(seed);
          const pair = new LinkPair(peers.a, peers.b, { random, faults: { drop: 0.05, duplicate: 0.05, reorder: 0.1, refuse: 0.05, keepResumes: true } });
          const committed: Record<Who, string[]> = { a: [], b: [] };
          const other = (w: Who): Who => (w === 'a' ? 'b' : 'a');
          const tasks = () => [peers.a.tasks, peers.b.tasks];

          for (const act of actions) {
            switch (act.t) {
              case 'send':
                for (let i = 0; i < act.n; i++) {
                  committed[act.who].push(peers[act.who].service.send(peers[other(act.who)].key, `${act.who}${committed[act.who].length}`).id);
                }
                break;
              case 'edit':
              case 'delete': {
                const me = peers[act.who];
                const own = me.history(peers[other(act.who)].key).filter((m) => m.outgoing && !m.deleted);
                const target = act.t === 'edit' ? own.at(-1) : own[0];
                if (!target) break;
                if (act.t === 'edit') me.service.edit(peers[other(act.who)].key, target.id, `${target.text} (edited)`);
                else me.service.delete(peers[other(act.who)].key, target.id);
                break;
              }
              case 'react': {
                const me = peers[act.who];
                const all = me.history(peers[other(act.who)].key).filter((m) => !m.deleted);
                if (all.length === 0) break;
                me.service.toggleReaction(peers[other(act.who)].key, all[act.pick % all.length]!.id, EMOJI[act.emoji]!);
                break;
              }
              case 'read': {
                const me = peers[act.who];
                me.service.markRead(peers[other(act.who)].key, me.vault.messages.syncPoints(peers[other(act.who)].key).received);
                break;
              }
              case 'steps':
                for (let i = 0; i < act.n; i++) {
                  const ready = tasks().filter((q) => q.tasks.length > 0);
                  if (ready.length > 0 && random() < 0.3) ready[0]!.runOne();
                  else if (!pair.step()) ready[0]?.runOne();
                }
                break;
              case 'close':
                pair.close();
                break;
              case 'open':
                pair.open();
                break;
              case 'time':
                clock.advance(RETRANSMIT_MS);
                break;
              case 'crash':
                pair.forget(); // the link dies with the process; the other side is not told
                await peers[act.who].crash();
                break;
            }
          }

          // Heal: no more faults; a link that is still open stays open, so frames it lost must be
          // recovered on it (gap → resume, or the retransmit timer), not by a reconnect.
          pair.faults = {};
          if (!pair.isOpen) pair.open();
          const settled = () => {
            const a = peers.a.vault.messages.syncPoints(peers.b.key);
            const b = peers.b.vault.messages.syncPoints(peers.a.key);
            return a.peerAcked === a.ownSeq && b.peerAcked === b.ownSeq && a.received === b.ownSeq && b.received === a.ownSeq;
          };
          expect(runUntil(pair, tasks, clock, { random, retransmitMs: RETRANSMIT_MS, done: settled })).toBe(true);

          const snap = { a: peers.a.snapshot(peers.b.key), b: peers.b.snapshot(peers.a.key) };
          for (const w of ['a', 'b'] as const) {
            const author = peers[w].key;
            const mine = byAuthor(snap[w], author);
            // Nothing that was shown as sent is lost, even across crashes; each exactly once, in order.
            expect(mine.map((m) => m.id)).toEqual(committed[w]);
            expect(byAuthor(snap[other(w)], author).map((m) => m.id)).toEqual(committed[w]);
            // Both sides agree on every message: text, edits, deletes, reactions.
            expect(byAuthor(snap[other(w)], author)).toEqual(mine);
            expect(new Set(mine.map((m) => m.seq)).size).toBe(mine.length);
          }
          for (const p of [peers.a, peers.b]) {
            expect(p.history(p === peers.a ? peers.b.key : peers.a.key).filter((m) => m.outgoing).every((m) => m.state === 'delivered' || m.state === 'read')).toBe(true);
            p.vault.close();
          }
        }),
        { numRuns: RUNS },
      );
    },
  );
});

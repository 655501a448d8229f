import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { addContacts, cleanupLinkCores, createProfileDir } from './harness/link-core';
import { fullHistory, type MessageCore, shared, startMessageCore } from './harness/message-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Exactly once, in order, over real parts (MSG-02, property): two real cores (real vaults,
 * a real signaling server process, real data channels on 127.0.0.1) run a random schedule of
 * sends, edits, deletes and reactions from both sides, links closed under them and cores
 * restarted on the same profile; at the end every message is there once, in its author's
 * order, and both histories are the same. Few runs (real processes on shared cores); the
 * store-level crash chaos is message-crash.test.ts, the many-schedule one message-sync.property.test.ts.
 */
type Who = 'a' | 'b';
type Action = { t: 'send'; who: Who } | { t: 'edit' | 'delete' | 'react'; who: Who; pick: number } | { t: 'drop' } | { t: 'restart'; who: Who };

const who = fc.constantFrom<Who>('a', 'b');
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('send' as const), who }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('edit' as const, 'delete' as const, 'react' as const), who, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('drop' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('restart' as const), who }) },
);
/** More schedules on demand: MSG_REAL_PROPERTY_RUNS=20 npx vitest run <this file>. */
const RUNS = Number(process.env.MSG_REAL_PROPERTY_RUNS ?? 3);

let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

describe('exactly once, in order, between real cores (MSG-02, property)', () => {
  it(`MSG-02: over ${RUNS} random schedules of sends, edits, deletes and reactions from both sides, links closed and cores restarted, every message arrives once, in order, and both histories converge`, { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
        const pa = await createProfileDir('Alice');
        const pb = await createProfileDir('Bob');
        await addContacts(pa.dir, [pb.userId]);
        await addContacts(pb.dir, [pa.userId]);
        const cores: Record<Who, MessageCore> = {
          a: await startMessageCore('Alice', server.url, { dir: pa.dir, messages: { retransmitMs: 1_000 } }),
          b: await startMessageCore('Bob', server.url, { dir: pb.dir, messages: { retransmitMs: 1_000 } }),
        };
        const other = (w: Who): Who => (w === 'a' ? 'b' : 'a');
        const sent: Record<Who, string[]> = { a: [], b: [] };
        const live: Record<Who, string[]> = { a: [], b: [] }; // own messages not deleted
        let n = 0;
        try {
          for (const act of actions) {
            if (act.t === 'send') {
              const c = cores[act.who];
              const m = c.root.sendMessage(cores[other(act.who)].hex, `${act.who}${n++}`);
              sent[act.who].push(m.id);
              live[act.who].push(m.id);
            } else if (act.t === 'edit' || act.t === 'delete') {
              const ids = live[act.who];
              if (ids.length === 0) continue;
              const id = ids[act.pick % ids.length]!;
              const peer = cores[other(act.who)].hex;
              if (act.t === 'edit') cores[act.who].root.editMessage(peer, id, `edited ${n++}`);
              else {
                cores[act.who].root.deleteMessage(peer, id);
                ids.splice(ids.indexOf(id), 1);
              }
            } else if (act.t === 'react') {
              const pool = [...live.a, ...live.b];
              if (pool.length === 0) continue;
              const id = pool[act.pick % pool.length]!;
              // Only a message this side already has can be reacted to.
              const c = cores[act.who];
              if (fullHistory(c, cores[other(act.who)].hex).some((m) => m.id === id)) c.root.toggleReaction(cores[other(act.who)].hex, id, '👍');
            } else if (act.t === 'drop') {
              cores.a.root.closeLink(cores.b.hex);
            } else {
              const old = cores[act.who];
              old.stop();
              cores[act.who] = await startMessageCore(old.name, server.url, { dir: old.dir, messages: { retransmitMs: 1_000 } });
            }
          }
          const { a, b } = cores;
          await waitFor(
            () => {
              const pa2 = a.root.history(b.hex, { limit: 1 }) && a.vault.messages.syncPoints(b.hex);
              const pb2 = b.vault.messages.syncPoints(a.hex);
              return pa2.peerAcked === pa2.ownSeq && pb2.peerAcked === pb2.ownSeq;
            },
            'both outboxes acknowledged',
            60_000,
          ).catch((err: unknown) => {
            // What was stuck, for the report (no message text).
            const state = (c: MessageCore, o: MessageCore) => ({ points: c.vault.messages.syncPoints(o.hex), links: c.root.links(), presence: c.vault.contacts.presenceOf(o.hex), refusals: c.root.messageRefusals() });
            throw new Error(`${(err as Error).message}: ${JSON.stringify({ a: state(a, b), b: state(b, a) })}`);
          });
          const atA = fullHistory(a, b.hex);
          const atB = fullHistory(b, a.hex);
          // Each author's messages: all there, once, in the order written, on both sides.
          expect(atB.filter((m) => !m.outgoing).map((m) => m.id)).toEqual(sent.a);
          expect(atA.filter((m) => !m.outgoing).map((m) => m.id)).toEqual(sent.b);
          expect(atA.filter((m) => m.outgoing).map((m) => m.id)).toEqual(sent.a);
          expect(atB.filter((m) => m.outgoing).map((m) => m.id)).toEqual(sent.b);
          const view = (h: typeof atA) => h.sort((x, y) => x.author.localeCompare(y.author) || x.seq - y.seq).map(shared);
          expect(view(atA)).toEqual(view(atB));
        } finally {
          cores.a.stop();
          cores.b.stop();
        }
      }),
      { numRuns: RUNS, endOnFailure: true, ...(process.env.MSG_REAL_PROPERTY_SEED ? { seed: Number(process.env.MSG_REAL_PROPERTY_SEED), path: '0' } : {}) },
    );
  });
});

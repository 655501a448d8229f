import { randomBytes } from 'node:crypto';
import { LIMITS } from '@discordopus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backplane, BackplaneEnvelope, BackplaneMessage, RunningServer } from '../../src/index';
import { eventually, makeKey, TestClient } from '../helpers/test-client';
import { startTestServer } from '../helpers/test-server';

/** What the contract needs of a backplane implementation and its transport. */
export interface BackplaneHarness {
  make(nodeId: string): Backplane;
  /** Cut every node off the transport (messages are lost) … */
  interrupt(): Promise<void>;
  /** … and bring it back; nodes must notice and resync on their own. */
  restore(): Promise<void>;
}

const NODE_HEARTBEAT_MS = 100;

/**
 * One contract, run against every backplane (CONVENTIONS 9): the bus semantics, then two real
 * server nodes on it with clients on real sockets (INFR-06).
 */
export function describeBackplaneContract(name: string, harness: () => BackplaneHarness): void {
  describe(`backplane contract: ${name}`, () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    async function bus(nodeId: string): Promise<{ bp: Backplane; got: BackplaneEnvelope[]; resyncs: () => number }> {
      const bp = harness().make(nodeId);
      const got: BackplaneEnvelope[] = [];
      let resyncs = 0;
      await bp.start({ onMessage: (e) => got.push(e), onResync: () => resyncs++ });
      cleanup.push(() => bp.close());
      return { bp, got, resyncs: () => resyncs };
    }

    async function twoNodes(config: Record<string, unknown> = {}): Promise<[RunningServer, RunningServer]> {
      const h = harness();
      const nodes: RunningServer[] = [];
      for (const nodeId of ['node-a', 'node-b']) {
        const s = await startTestServer({ nodeId, nodeHeartbeatMs: NODE_HEARTBEAT_MS, ...config }, { backplane: (id) => h.make(id) });
        cleanup.push(() => s.close());
        nodes.push(s);
      }
      return nodes as [RunningServer, RunningServer];
    }

    async function client(server: RunningServer, status?: 'online' | 'away' | 'busy' | 'invisible', key = makeKey()): Promise<TestClient> {
      const c = await TestClient.login(server.url, key, status);
      cleanup.push(() => c.close());
      return c;
    }

    it('broadcasts reach every other node, never the sender; sendTo reaches one node', async () => {
      const [a, b, c] = [await bus('n1'), await bus('n2'), await bus('n3')];
      a.bp.broadcast({ type: 'node.alive' });
      a.bp.sendTo('n3', { type: 'sync.request' });
      await eventually(() => b.got.length === 1 && c.got.length === 2, 'delivery');
      expect(a.got).toEqual([]);
      expect(b.got).toEqual([{ origin: 'n1', message: { type: 'node.alive' } }]);
      expect(c.got.map((e) => e.message.type).sort()).toEqual(['node.alive', 'sync.request']);
    });

    it('carries the largest record intact and keeps one sender’s order', async () => {
      const [a, b] = [await bus('big-1'), await bus('big-2')];
      const contacts = Array.from({ length: LIMITS.maxContacts }, () => Buffer.from(randomBytes(32)).toString('base64url'));
      const record = { publicKey: makeKey().id, nodeId: 'big-1', sessionId: 's', sinceMs: 1, status: 'busy' as const, contacts };
      const sent: BackplaneMessage[] = [{ type: 'record.upsert', record }];
      for (let i = 0; i < 50; i++) sent.push({ type: 'record.remove', publicKey: record.publicKey, sessionId: `s${i}` });
      for (const m of sent) a.bp.broadcast(m);
      await eventually(() => b.got.length === sent.length, 'all messages');
      expect(b.got.map((e) => e.message)).toEqual(sent);
    });

    it('clients on different nodes see each other’s presence and relay to each other', async () => {
      const [n1, n2] = await twoNodes();
      const a = await client(n1);
      const b = await client(n2, 'away');
      await a.setContacts([b.key]);
      // b's snapshot may come before node 2 has heard a's record; the update that follows it is
      // then what shows a (PROTOCOL.md §5.12). Wait for the converged view, not the first frame.
      await b.setContacts([a.key]);
      await b.untilView((v) => v.get(a.key.id) === 'online' && v.size === 1, 'b to see a online');
      await a.untilView((v) => v.get(b.key.id) === 'away' && v.size === 1, 'a to see b away');
      a.skipReceived();

      b.send({ type: 'presence.set', status: 'busy' });
      expect(await a.next('presence.update')).toEqual({ type: 'presence.update', publicKey: b.key.id, status: 'busy' });

      a.send({ type: 'signal.send', id: 'x', to: b.key.id, payload: 'cross-node offer', from: 'liar' });
      expect(await b.next('signal.relay')).toEqual({ type: 'signal.relay', from: a.key.id, payload: 'cross-node offer' });
      b.send({ type: 'signal.send', id: 'y', to: a.key.id, payload: 'answer' });
      expect(await a.next('signal.relay')).toMatchObject({ from: b.key.id, payload: 'answer' });

      await b.close();
      expect(await a.next('presence.update')).toEqual({ type: 'presence.update', publicKey: b.key.id, status: 'offline' });
      a.send({ type: 'signal.send', id: 'z', to: b.key.id, payload: 'p' });
      expect(await a.next('signal.error')).toMatchObject({ id: 'z', code: 'TARGET_OFFLINE' });
    });

    it('privacy holds across nodes: one-sided and invisible users show nothing', async () => {
      const [n1, n2] = await twoNodes();
      const a = await client(n1);
      const shy = await client(n2);
      const invisible = await client(n2, 'invisible');
      await shy.setContacts([]);
      await invisible.setContacts([a.key]);
      expect(await a.setContacts([shy.key, invisible.key])).toEqual({ type: 'presence.snapshot', contacts: [] });
      // Once node 1 knows both records (proved by a relay reaching the invisible user)…
      await eventually(async () => {
        a.send({ type: 'signal.send', id: 'probe', to: invisible.key.id, payload: 'are you there' });
        await a.sync();
        await invisible.sync();
        return invisible.all('signal.relay').length > 0;
      }, 'node 1 to learn the records of node 2');
      // …a one-sided contact looks offline, and the invisible user was never shown.
      a.send({ type: 'signal.send', id: 'shy', to: shy.key.id, payload: 'p' });
      expect(await a.nextMatching('signal.error', (e) => e.id === 'shy')).toMatchObject({ code: 'TARGET_OFFLINE' });
      shy.send({ type: 'signal.send', id: 'back', to: a.key.id, payload: 'p' });
      expect(await shy.next('signal.error')).toMatchObject({ id: 'back', code: 'NOT_MUTUAL' });
      invisible.send({ type: 'signal.send', id: 'i', to: a.key.id, payload: 'from the shadows' });
      expect(await a.next('signal.relay')).toMatchObject({ from: invisible.key.id });
      expect(a.all('presence.update')).toEqual([]);
      expect(a.rawFrames.join('\n')).not.toContain('invisible');
      expect(shy.all('presence.update')).toEqual([]);
    });

    it('one session per key across nodes: a login on another node closes the first with 4409', async () => {
      const [n1, n2] = await twoNodes();
      const key = makeKey();
      const first = await client(n1, 'online', key);
      await client(n2, 'online', key);
      expect((await first.closed).code).toBe(4409);
      await eventually(() => n1.connectionCount() === 0, 'the first socket to close');
    });

    it('a node that shuts down takes its users offline on the other nodes', async () => {
      const [n1, n2] = await twoNodes();
      const a = await client(n1);
      const b = await client(n2);
      await a.setContacts([b.key]);
      await b.setContacts([a.key]);
      await a.nextMatching('presence.update', (u) => u.status === 'online');
      await n2.close();
      expect(await a.nextMatching('presence.update', (u) => u.publicKey === b.key.id)).toMatchObject({ status: 'offline' });
    });

    it('after the transport is cut and restored, presence converges again', async () => {
      const [n1, n2] = await twoNodes();
      const a = await client(n1);
      const b = await client(n2);
      await a.setContacts([b.key]);
      await b.setContacts([a.key]);
      await a.nextMatching('presence.update', (u) => u.publicKey === b.key.id && u.status === 'online');

      await harness().interrupt();
      // While cut off, nodes stop hearing each other; changes on one side are lost in transit.
      b.send({ type: 'presence.set', status: 'busy' });
      const c = await client(n2, 'away');
      await c.setContacts([a.key]);
      await b.sync();
      // Node 1 declares node 2 silent (three missed node heartbeats): b goes offline for a.
      await a.untilView((v) => !v.has(b.key.id), 'node 1 to give up on node 2', 20_000);
      await harness().restore();
      const resyncs = async (s: RunningServer): Promise<boolean> => /discordopus_backplane_resyncs_total [1-9]/.test(await s.metrics.text());
      await eventually(async () => (await resyncs(n1)) && (await resyncs(n2)), 'both nodes to resync', 20_000);

      a.send({ type: 'contacts.set', contacts: [b.key.id, c.key.id] });
      await a.untilView((v) => v.get(b.key.id) === 'busy' && v.get(c.key.id) === 'away' && v.size === 2, 'presence to converge after the cut', 20_000);
      a.send({ type: 'signal.send', id: 'after', to: c.key.id, payload: 'hello again' });
      expect(await c.next('signal.relay')).toMatchObject({ from: a.key.id, payload: 'hello again' });
    }, 40_000);
  });
}

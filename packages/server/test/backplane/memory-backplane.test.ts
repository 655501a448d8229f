import { describe, expect, it } from 'vitest';
import { MemoryBackplane, MemoryBus } from '../../src/index';
import { eventually, makeKey, TestClient } from '../helpers/test-client';
import { startTestServer } from '../helpers/test-server';
import { describeBackplaneContract } from './backplane-contract';

const bus = new MemoryBus();
const nodes = new Set<string>();

describeBackplaneContract('in-memory bus', () => ({
  make: (nodeId) => {
    nodes.add(nodeId);
    return new MemoryBackplane(nodeId, bus);
  },
  interrupt: async () => {
    for (const n of nodes) bus.cut(n);
  },
  restore: async () => {
    for (const n of nodes) bus.heal(n);
  },
}));

describe('a node that dies without a word', () => {
  it('its users go offline on the others after three missed node heartbeats', async () => {
    const silentBus = new MemoryBus();
    const make = (id: string) => new MemoryBackplane(id, silentBus);
    const n1 = await startTestServer({ nodeId: 'alive', nodeHeartbeatMs: 100 }, { backplane: make });
    const n2 = await startTestServer({ nodeId: 'doomed', nodeHeartbeatMs: 100 }, { backplane: make });
    try {
      const a = await TestClient.login(n1.url, makeKey());
      const b = await TestClient.login(n2.url, makeKey());
      await b.setContacts([a.key]);
      await a.setContacts([b.key]);
      await eventually(async () => {
        await a.sync();
        return a.all('presence.update').some((u) => u.status === 'online') || a.all('presence.snapshot').some((s) => s.contacts.length === 1);
      }, 'a to see b');
      silentBus.cut('doomed');
      expect(await a.nextMatching('presence.update', (u) => u.publicKey === b.key.id && u.status === 'offline', 5_000)).toBeTruthy();
      await a.close();
      await b.close();
    } finally {
      await n1.close();
      await n2.close();
    }
  });
});

describe('a record that reaches a node after the snapshot (INFR-06, PRES-02)', () => {
  it('INFR-06: the viewer gets a presence.update the moment it arrives, and every later change, in order', async () => {
    const slowBus = new MemoryBus();
    const make = (id: string) => new MemoryBackplane(id, slowBus);
    // Node heartbeats far apart: the held link must not be mistaken for a dead node.
    const n1 = await startTestServer({ nodeId: 'n1', nodeHeartbeatMs: 60_000 }, { backplane: make });
    const n2 = await startTestServer({ nodeId: 'n2', nodeHeartbeatMs: 60_000 }, { backplane: make });
    try {
      const a = await TestClient.login(n1.url, makeKey());
      const b = await TestClient.login(n2.url, makeKey());
      slowBus.hold('n2'); // nothing from node 1 reaches node 2 for now
      await a.setContacts([b.key]);
      // Node 2 has not heard that a lists b: b's snapshot cannot show a yet.
      expect(await b.setContacts([a.key])).toEqual({ type: 'presence.snapshot', contacts: [] });
      // Node 1 has heard b (that direction is not held): a sees b.
      await a.untilView((v) => v.get(b.key.id) === 'online', 'a to see b');
      a.send({ type: 'presence.set', status: 'away' });
      a.send({ type: 'presence.set', status: 'busy' });
      await a.sync();
      await b.sync();
      expect(b.all('presence.update')).toEqual([]);

      slowBus.release('n2');
      await b.untilView((v) => v.get(a.key.id) === 'busy' && v.size === 1, 'b to see a busy');
      const seen = b.all('presence.update').filter((u) => u.publicKey === a.key.id).map((u) => u.status);
      expect(seen).toEqual(['online', 'away', 'busy']);
      await a.close();
      await b.close();
    } finally {
      await n1.close();
      await n2.close();
    }
  });
});

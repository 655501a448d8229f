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
    // Long enough for the nodes to declare each other silent (3 node heartbeats).
    await new Promise((r) => setTimeout(r, 500));
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

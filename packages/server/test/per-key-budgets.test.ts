import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { makeKey, type TestKey, TestClient } from './helpers/test-client';

const running: ServerProcess[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(running.splice(0).map((p) => p.kill()));
});

// Budgets of 3 that refill one token per 1,000 s: nothing comes back while the test runs, however
// slow the machine is, so every count below is exact.
const TINY_BUDGETS = ['--relay-burst', '3', '--relay-per-second', '0.001', '--presence-burst', '3', '--presence-per-second', '0.001', '--log-level', 'warn'];

async function login(proc: ServerProcess, key: TestKey = makeKey()): Promise<TestClient> {
  const client = await TestClient.login(proc.url, key);
  clients.push(client);
  return client;
}

describe('relay and presence budgets per key, through a real server process (INFR-01, PRES-03)', () => {
  it('INFR-01: a key that reconnects gets its spent relay budget back only with time: 2 + 2 relays over two sessions deliver the burst of 3', async () => {
    const proc = await startServerProcess(TINY_BUDGETS);
    running.push(proc);
    const alice = makeKey();
    const bob = await login(proc);
    await bob.setContacts([alice]);

    // contacts.set spends presence tokens (1 per session): 2 of alice's 3 in this test.
    const first = await login(proc, alice);
    await first.setContacts([bob.key]);
    first.send({ type: 'signal.send', id: 'a1', to: bob.key.id, payload: 'one' });
    first.send({ type: 'signal.send', id: 'a2', to: bob.key.id, payload: 'two' });
    await first.sync();
    expect(first.all('signal.error')).toEqual([]);
    await first.close();

    const second = await login(proc, alice);
    await second.setContacts([bob.key]);
    second.send({ type: 'signal.send', id: 'b1', to: bob.key.id, payload: 'three' });
    second.send({ type: 'signal.send', id: 'b2', to: bob.key.id, payload: 'four' });
    expect(await second.next('signal.error')).toEqual({ type: 'signal.error', id: 'b2', code: 'RATE_LIMITED' });
    await second.sync();
    expect(second.all('signal.error')).toHaveLength(1);

    await bob.sync();
    expect(bob.all('signal.relay').map((r) => r.payload)).toEqual(['one', 'two', 'three']);

    // Another key is not charged for alice's relays.
    const carol = await login(proc);
    await bob.setContacts([alice, carol.key]);
    await carol.setContacts([bob.key]);
    carol.send({ type: 'signal.send', id: 'c1', to: bob.key.id, payload: 'from carol' });
    expect(await bob.nextMatching('signal.relay', (r) => r.from === carol.key.id)).toMatchObject({ payload: 'from carol' });
  });

  it('PRES-03: the presence budget survives a reconnect too: the 4th presence change of a key over three sessions is refused', async () => {
    const proc = await startServerProcess(TINY_BUDGETS);
    running.push(proc);
    const alice = makeKey();
    for (let session = 0; session < 3; session++) {
      const c = await login(proc, alice);
      await c.setContacts([]);
      await c.sync();
      expect(c.all('session.error')).toEqual([]);
      await c.close();
    }
    const fourth = await login(proc, alice);
    fourth.send({ type: 'presence.set', status: 'away' });
    expect(await fourth.next('session.error')).toEqual({ type: 'session.error', code: 'RATE_LIMITED', about: 'presence.set' });
    // A fresh key has its own full budget on the same node.
    const other = await login(proc);
    await other.setContacts([]);
    await other.sync();
    expect(other.all('session.error')).toEqual([]);
  });
});

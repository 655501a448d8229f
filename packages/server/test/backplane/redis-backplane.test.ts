import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, RedisBackplane } from '../../src/index';
import { RedisProcess } from '../helpers/redis-process';
import { startServerProcess } from '../helpers/server-process';
import { eventually, makeKey, TestClient } from '../helpers/test-client';
import { describeBackplaneContract } from './backplane-contract';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await RedisProcess.start();
});
afterAll(async () => {
  await redis?.stop();
});

const logger = createLogger('silent');

describeBackplaneContract('Redis pub/sub (real redis-server)', () => ({
  make: (nodeId) => new RedisBackplane({ url: redis.url, nodeId, channelPrefix: 'contract', logger }),
  interrupt: async () => {
    // The nodes notice on their own; the contract waits for what they do about it.
    await redis.stop();
  },
  restore: async () => {
    await redis.restart();
  },
}));

describe('two discordopus-server processes sharing one redis-server (INFR-06)', () => {
  it('a client on each node: presence and relay cross processes', async () => {
    const args = ['--redis-url', redis.url, '--redis-channel-prefix', 'procs', '--offline-grace-ms', '0', '--log-level', 'warn'];
    const [p1, p2] = await Promise.all([startServerProcess([...args, '--node-id', 'p1']), startServerProcess([...args, '--node-id', 'p2'])]);
    try {
      const a = await TestClient.login(p1.url, makeKey());
      const b = await TestClient.login(p2.url, makeKey(), 'busy');
      await b.setContacts([a.key]);
      await a.setContacts([b.key]);
      await eventually(async () => {
        await a.sync();
        const shown = (m: { publicKey: string; status: string }): boolean => m.publicKey === b.key.id && m.status === 'busy';
        return a.all('presence.update').some(shown) || a.all('presence.snapshot').some((s) => s.contacts.some(shown));
      }, 'a to see b', 10_000);
      a.send({ type: 'signal.send', id: 'x', to: b.key.id, payload: 'between processes' });
      expect(await b.next('signal.relay')).toEqual({ type: 'signal.relay', from: a.key.id, payload: 'between processes' });
      await a.close();
      expect(await b.nextMatching('presence.update', (u) => u.publicKey === a.key.id && u.status === 'offline')).toBeTruthy();
      await b.close();
    } finally {
      await Promise.all([p1.kill('SIGTERM'), p2.kill('SIGTERM')]);
    }
  }, 40_000);
});

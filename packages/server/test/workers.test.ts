import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisProcess } from './helpers/redis-process';
import { startServerProcess } from './helpers/server-process';
import { eventually, makeKey, TestClient } from './helpers/test-client';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await RedisProcess.start();
});
afterAll(async () => {
  await redis?.stop();
});

function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Clients 0+1, 2+3, … become mutual contacts: each first one sees its partner's status (`status`,
 * the partner's login status) and relays a message to it, wherever the two landed.
 */
async function expectPairsWork(clients: readonly TestClient[], status: 'online' | 'busy'): Promise<void> {
  for (let i = 0; i + 1 < clients.length; i += 2) {
    const a = clients[i] as TestClient;
    const b = clients[i + 1] as TestClient;
    await b.setContacts([a.key]);
    await a.setContacts([b.key]);
    await a.untilView((v) => v.get(b.key.id) === status, `pair ${i}: a sees b ${status}`);
    a.send({ type: 'signal.send', id: `m${i}`, to: b.key.id, payload: `pair ${i}` });
    expect(await b.next('signal.relay')).toEqual({ type: 'signal.relay', from: a.key.id, payload: `pair ${i}` });
  }
}

describe('discordopus-server --workers (INFR-06)', () => {
  it('INFR-06: two workers share one port as two nodes joined by redis: presence and relay cross them; SIGTERM stops all', async () => {
    // `primary` deals the sockets out in turn, which this test relies on to place clients.
    const args = ['--workers', '2', '--worker-balance', 'primary', '--redis-url', redis.url, '--redis-channel-prefix', 'workers', '--offline-grace-ms', '0', '--log-level', 'warn', '--node-id', 'w'];
    const proc = await startServerProcess(args);
    try {
      expect(proc.output()).toMatch(/listening on ws:\/\/127\.0\.0\.1:\d+ \(2 workers\)/);
      const pids = [...proc.output().matchAll(/worker \d \(pid (\d+)\) listening as node (w-\d)/g)].map((m) => Number(m[1]));
      expect(new Set(pids).size).toBe(2);
      for (const pid of pids) expect(parentPid(pid)).toBe(proc.child.pid);

      // Connections go to the workers in turn: pairs made of consecutive logins straddle them.
      const clients: TestClient[] = [];
      for (let i = 0; i < 6; i++) clients.push(await TestClient.login(proc.url, makeKey(), i % 2 === 0 ? 'online' : 'busy'));
      // Each worker holds some of them: every scrape (which also goes to the workers in turn)
      // sees fewer than all six sessions.
      const seen: number[] = [];
      for (let i = 0; i < 4; i++) seen.push(await proc.metric('discordopus_sessions'));
      expect(Math.max(...seen)).toBeLessThan(6);
      expect(seen.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

      await expectPairsWork(clients, 'busy');

      proc.child.kill('SIGTERM');
      for (const c of clients) expect((await c.closed).code).toBe(1001);
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      for (const pid of pids) await eventually(() => !alive(pid), `worker ${pid} gone`);
    } finally {
      await proc.kill('SIGKILL');
    }
  }, 60_000);

  it('INFR-06: a killed primary takes its workers with it; --workers 2 without redis is refused', async () => {
    const proc = await startServerProcess(['--workers', '2', '--redis-url', redis.url, '--redis-channel-prefix', 'orphans', '--log-level', 'warn']);
    const pids = [...proc.output().matchAll(/worker \d \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    await proc.kill('SIGKILL');
    for (const pid of pids) await eventually(() => !alive(pid), `orphan worker ${pid} gone`);

    const refused = await startServerProcess(['--workers', '2']).then(
      (p) => p.kill().then(() => 'started'),
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/--workers above 1 needs redisUrl|--workers above 1 needs --redis-url/);
  }, 60_000);

  it('INFR-06: by default (--worker-balance kernel) the workers accept from the shared socket themselves; logins, presence and relay work wherever clients land', async () => {
    const proc = await startServerProcess(['--workers', '2', '--redis-url', redis.url, '--redis-channel-prefix', 'kernel', '--offline-grace-ms', '0', '--log-level', 'warn']);
    try {
      expect(proc.output()).toMatch(/listening on ws:\/\/127\.0\.0\.1:\d+ \(2 workers\)/);
      const clients: TestClient[] = [];
      for (let i = 0; i < 8; i++) clients.push(await TestClient.login(proc.url, makeKey(), 'online'));
      await expectPairsWork(clients, 'online');
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      await proc.kill('SIGKILL');
    }
    const refused = await startServerProcess(['--workers', '2', '--redis-url', redis.url, '--worker-balance', 'round']).then(
      (p) => p.kill().then(() => 'started'),
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/worker-balance.*must be kernel or primary/);
  }, 60_000);
});

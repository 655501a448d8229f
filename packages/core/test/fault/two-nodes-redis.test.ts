import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisProcess } from '../../../server/test/helpers/redis-process';
import { befriend, cleanupProfiles, createProfile, presenceSeen, type TestProfile } from '../harness/profiles';
import { freePort, startServerProcess, waitFor, type ServerProcess } from '../harness/server-process';

/**
 * Fault suite, two signaling nodes on one real redis-server (INFR-05, INFR-06, PRES-03): every
 * client is given both URLs and the nodes share presence over Redis pub/sub. A node killed with
 * SIGKILL loses its clients to the other node; a Redis restart loses pub/sub state; in both
 * cases everyone must end up connected, seeing exactly their mutual contacts' statuses.
 */
let redis: RedisProcess | null = null;
const nodes: ServerProcess[] = [];
const running: TestProfile[] = [];

async function startNode(): Promise<ServerProcess> {
  if (!redis) throw new Error('redis first');
  const node = await startServerProcess(await freePort(), ['--redis-url', redis.url, '--offline-grace-ms', '0', '--node-heartbeat-ms', '250']);
  nodes.push(node);
  return node;
}

async function sessionsOn(node: ServerProcess): Promise<number> {
  const body = await (await fetch(`http://127.0.0.1:${node.port}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith('discordopus_sessions '));
  return line === undefined ? -1 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

beforeEach(async () => {
  redis = await RedisProcess.start();
});

afterEach(async () => {
  for (const p of running.splice(0)) p.shutdown();
  for (const n of nodes.splice(0)) await n.kill('SIGKILL');
  await redis?.stop();
  redis = null;
  cleanupProfiles();
});

/** alice and carol start on node A, bob on node B; all three are mutual contacts. */
async function threeUsers(a: ServerProcess, b: ServerProcess): Promise<[TestProfile, TestProfile, TestProfile]> {
  const alice = await createProfile('alice', [a.url, b.url]);
  const bob = await createProfile('bob', [b.url, a.url]);
  const carol = await createProfile('carol', [a.url, b.url]);
  running.push(alice, bob, carol);
  befriend(alice, bob);
  befriend(bob, carol);
  befriend(alice, carol);
  return [alice, bob, carol];
}

describe('two nodes on Redis (INFR-05, INFR-06, PRES-03)', () => {
  it('INFR-06: kill -9 one node: its clients reconnect to the other node and presence converges', async () => {
    const a = await startNode();
    const b = await startNode();
    const [alice, bob, carol] = await threeUsers(a, b);
    alice.core.setStatus('away');
    await waitFor(() => presenceSeen(bob, alice) === 'away' && presenceSeen(bob, carol) === 'online' && presenceSeen(alice, bob) === 'online', 'presence across the two nodes');
    expect(await sessionsOn(a)).toBe(2);

    await a.kill('SIGKILL');
    await waitFor(async () => (await sessionsOn(b)) === 3, 'alice and carol logged in on node B', 30_000);
    await waitFor(
      () => [alice, bob, carol].every((p) => p.core.connection.state === 'connected') && presenceSeen(bob, alice) === 'away' && presenceSeen(carol, alice) === 'away' && presenceSeen(alice, carol) === 'online' && presenceSeen(alice, bob) === 'online',
      'presence converged on the surviving node',
    );
    // And it stays live: a change now reaches everyone.
    carol.core.setStatus('busy');
    await waitFor(() => presenceSeen(alice, carol) === 'busy' && presenceSeen(bob, carol) === 'busy', 'a new change after the failover');
  });

  it('INFR-06: restart redis-server while statuses change: both nodes resynchronise and presence converges', async () => {
    const a = await startNode();
    const b = await startNode();
    const [alice, bob, carol] = await threeUsers(a, b);
    await waitFor(() => presenceSeen(bob, alice) === 'online' && presenceSeen(alice, bob) === 'online' && presenceSeen(bob, carol) === 'online', 'presence across the two nodes');

    await redis!.stop();
    // While Redis is down: alice (node A) changes status and carol (node A) leaves. Node B
    // cannot hear either; bob must still end up seeing both.
    alice.core.setStatus('busy');
    carol.shutdown();
    running.splice(running.indexOf(carol), 1);
    await redis!.restart();

    await waitFor(() => presenceSeen(bob, alice) === 'busy' && presenceSeen(bob, carol) === 'offline' && presenceSeen(alice, bob) === 'online', 'presence converged after the Redis restart', 20_000);
    // Both nodes are connected to the new Redis again: a later change crosses nodes.
    bob.core.setStatus('away');
    await waitFor(() => presenceSeen(alice, bob) === 'away', 'a change after the restart crosses nodes');
  });
});

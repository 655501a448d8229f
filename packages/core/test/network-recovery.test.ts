import { startSignalingServer } from '@discordopus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { Identity } from '../src/identity/identity';
import { SignalingClient } from '../src/signaling/signaling-client';
import type { ConnectionStatus } from '../src/signaling/signaling-events';
import { seededRandom } from './helpers/seeded-random';
import { timerLedgerClock } from './helpers/timer-ledger-clock';
import { befriend, cleanupProfiles, createProfile, presenceSeen, type TestProfile } from './harness/profiles';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

const running: TestProfile[] = [];
const processes: ServerProcess[] = [];

afterEach(async () => {
  for (const p of running.splice(0)) p.shutdown();
  for (const s of processes.splice(0)) await s.kill('SIGKILL');
  cleanupProfiles();
});

describe('recovery and refusal (INFR-04, INFR-05)', () => {
  it('INFR-05: kill -9 the server process, start it again on the same port: every client returns and presence converges', async () => {
    const port = await freePort();
    let server = await startServerProcess(port, ['--offline-grace-ms', '0']);
    processes.push(server);
    // Varied, seeded jitter (not 0): the bounds check below then fails if the policy is wrong.
    // The second draw of each source is the first backoff after the crash: 0.003, 0.917, 0.039.
    const seeds = { alice: 1, bob: 10, carol: 3 };
    const profiles = await Promise.all(
      Object.entries(seeds).map(([n, seed]) => createProfile(n, [server.url], { random: seededRandom(seed) })),
    );
    running.push(...profiles);
    const [alice, bob, carol] = profiles as [TestProfile, TestProfile, TestProfile];
    befriend(alice, bob);
    befriend(bob, carol);
    bob.core.setStatus('away');
    await waitFor(() => presenceSeen(alice, bob) === 'away' && presenceSeen(carol, bob) === 'away' && presenceSeen(bob, alice) === 'online', 'presence before the crash');

    const delays: number[] = [];
    for (const p of profiles) {
      p.core.on('connectionChanged', (e: ConnectionStatus) => {
        if (e.state === 'backing-off' && e.nextRetryAt !== null) delays.push(e.nextRetryAt - Date.now());
      });
    }
    await server.kill('SIGKILL');
    await waitFor(() => profiles.every((p) => p.core.connection.state !== 'connected'), 'everyone noticed the crash');
    expect(presenceSeen(alice, bob)).toBe('unknown');

    server = await startServerProcess(port, ['--offline-grace-ms', '0']);
    processes.push(server);
    await waitFor(() => profiles.every((p) => p.core.connection.state === 'connected'), 'everyone reconnected', 60_000);
    await waitFor(
      () => presenceSeen(alice, bob) === 'away' && presenceSeen(carol, bob) === 'away' && presenceSeen(bob, alice) === 'online' && presenceSeen(bob, carol) === 'online',
      'presence converged after the restart',
    );
    // Every wait the clients chose lies within the policy's bounds.
    expect(delays.length).toBeGreaterThanOrEqual(profiles.length);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(900);
      expect(d).toBeLessThanOrEqual(60_000);
    }
    // Jittered: the clients did not all choose the same wait.
    expect(new Set(delays.map((d) => Math.round(d / 100))).size).toBeGreaterThan(1);
  }, 90_000);

  it('INFR-04: a server announcing another identity than the URL dialed is refused, with the reason, and not retried', async () => {
    // A real server that believes it is wss://signal.example.org, reached at ws://127.0.0.1:PORT.
    const server = await startSignalingServer({ port: 0, logLevel: 'silent', publicUrl: 'wss://signal.example.org' }, { processMetrics: false });
    try {
      const clock = timerLedgerClock();
      const alice = await createProfile('alice', [`ws://127.0.0.1:${server.port}`], { clock });
      running.push(alice);
      await waitFor(() => alice.core.connection.state === 'failed', 'alice refused the server');
      expect(alice.core.connection).toMatchObject({ reason: 'SERVER_IDENTITY_MISMATCH', nextRetryAt: null });
      expect(alice.core.connection.detail).toMatch(/identity/);
      // Not retried: no timer is left that could start another attempt.
      expect(clock.pendingTimers).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('INFR-04: a client whose key the server rejects stops with AUTH_REJECTED instead of retrying', async () => {
    const server = await startSignalingServer({ port: 0, logLevel: 'silent' }, { processMetrics: false });
    const mallory = Identity.create('Mallory');
    const alice = Identity.create('Alice');
    // Claims Alice's key but signs with Mallory's: the server must refuse (4401).
    const client = new SignalingClient({
      urls: [server.url],
      signer: { publicKey: alice.publicKey, sign: (purpose, body) => mallory.sign(purpose, body) },
      loginStatus: () => 'online',
      random: () => 0,
    });
    const states: string[] = [];
    client.on('stateChanged', (e) => states.push(e.state));
    try {
      client.start();
      await waitFor(() => client.state === 'failed', 'client failed');
      expect(client.status.reason).toBe('AUTH_REJECTED');
      expect(states.filter((s) => s === 'connecting')).toHaveLength(1);
    } finally {
      client.stop();
      await server.close();
    }
  });

  it('INFR-04: a ws:// URL to a non-loopback host is refused before any connection is made', async () => {
    const alice = await createProfile('alice', ['ws://chat.example.org:7717']);
    running.push(alice);
    expect(alice.core.connection).toMatchObject({ state: 'failed', reason: 'INSECURE_SERVER_URL' });
  });
});

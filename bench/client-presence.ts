/**
 * `npm run bench:client` — the client core's figures (INFR-01, PRES-02) against a local
 * signaling server running in its own process:
 *   - launch → connected, and launch → first presence snapshot applied (profile already
 *     unlocked; the vault's unlock cost is in bench:vault), with and without the first-connect
 *     jitter;
 *   - one client's status change → the other client's presence event;
 * each as median / p99 / max over many runs, next to a baseline measured in the same run: a bare
 * WebSocket open + server hello on the same server, the floor any client pays.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClientCore } from '../packages/core/src/client/create-client-core';
import { TEST_ONLY_CHEAP_SCRYPT } from '../packages/core/src/vault/kdf';
import { Vault } from '../packages/core/src/vault/vault';
import { freePort, startSignalingProcess } from '@discordopus/test-support';

const CONNECT_RUNS = Number(process.env.BENCH_CONNECT_RUNS ?? 60);
const STATUS_RUNS = Number(process.env.BENCH_STATUS_RUNS ?? 400);
const PASSPHRASE = 'correct horse battery staple';

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}`;
console.log(`machine: ${machine}`);
console.log(`parameters: ${CONNECT_RUNS} connects per variant, ${STATUS_RUNS} status changes, server in its own process on 127.0.0.1`);

interface Stats {
  median: number;
  p99: number;
  max: number;
}
function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: at(0.5), p99: at(0.99), max: s[s.length - 1] as number };
}
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

function until<T>(register: (done: (v: T) => void) => void): Promise<T> {
  return new Promise((resolve) => register(resolve));
}

async function bareHello(url: string): Promise<number> {
  const t0 = performance.now();
  const ws = new WebSocket(url);
  await until<void>((done) => ws.once('message', () => done()));
  const t = performance.now() - t0;
  ws.terminate();
  return t;
}

async function main(): Promise<void> {
  const port = await freePort();
  const server = await startSignalingProcess({ port, flags: ['--offline-grace-ms', '0'] });
  const root = mkdtempSync(join(tmpdir(), 'dop-bench-client-'));
  try {
    const make = async (name: string) => {
      const vault = await Vault.create({ dir: join(root, name), passphrase: PASSPHRASE, displayName: name, kdf: TEST_ONLY_CHEAP_SCRYPT });
      vault.settings.set('network.signalingUrls', [server.url]);
      return vault;
    };
    const alice = await make('alice');
    const bob = await make('bob');
    alice.contacts.add(bob.identity.userId);
    bob.contacts.add(alice.identity.userId);
    const aliceHex = Buffer.from(alice.identity.publicKey).toString('hex');
    const bobHex = Buffer.from(bob.identity.publicKey).toString('hex');

    const bobService = createClientCore({ vault: bob, random: () => 0 });
    bobService.start();
    await until<void>((done) => bobService.on('connectionChanged', (e) => e.state === 'connected' && done()));

    // Warm up the server's JIT and ours before measuring.
    for (let i = 0; i < 20; i++) await bareHello(server.url);

    const baseline: number[] = [];
    for (let i = 0; i < CONNECT_RUNS; i++) baseline.push(await bareHello(server.url));

    const launch = async (random: () => number) => {
      const connected: number[] = [];
      const snapshot: number[] = [];
      for (let i = 0; i < CONNECT_RUNS; i++) {
        const t0 = performance.now();
        const service = createClientCore({ vault: alice, random });
        const gotConnected = until<void>((done) => service.on('connectionChanged', (e) => e.state === 'connected' && done()));
        const gotSnapshot = until<void>((done) =>
          service.on('presenceChanged', (e) => e.publicKey === bobHex && e.status === 'online' && done()),
        );
        service.start();
        await gotConnected;
        connected.push(performance.now() - t0);
        await gotSnapshot;
        snapshot.push(performance.now() - t0);
        service.stop();
        // Let bob see alice leave so the next launch starts from the same state.
        await until<void>((done) => {
          if (bob.contacts.get(aliceHex)?.onlineStatus === 'offline') return done();
          const off = bobService.on('presenceChanged', (e) => e.publicKey === aliceHex && e.status === 'offline' && (off(), done()));
        });
      }
      return { connected, snapshot };
    };
    const noJitter = await launch(() => 0);
    const withJitter = await launch(Math.random);

    const aliceService = createClientCore({ vault: alice, random: () => 0 });
    aliceService.start();
    await until<void>((done) => aliceService.on('connectionChanged', (e) => e.state === 'connected' && done()));
    const statusLatency: number[] = [];
    for (let i = 0; i < STATUS_RUNS; i++) {
      const status = i % 2 === 0 ? 'away' : 'busy';
      const seen = until<void>((done) => {
        const off = bobService.on('presenceChanged', (e) => e.publicKey === aliceHex && e.status === status && (off(), done()));
      });
      const t0 = performance.now();
      aliceService.setStatus(status);
      await seen;
      statusLatency.push(performance.now() - t0);
      // Stay inside the server's presence budget (2/s sustained, burst 10): this measures latency, not the limiter.
      await new Promise((r) => setTimeout(r, 510));
      if (i === 20 && STATUS_RUNS > 100) console.log('… measuring status changes (about 0.5 s each)');
    }
    aliceService.stop();
    bobService.stop();

    const rows: [string, Stats][] = [
      ['baseline: bare WebSocket open + server hello', stats(baseline)],
      ['launch → connected (no first-connect jitter)', stats(noJitter.connected)],
      ['launch → first presence snapshot applied (no jitter)', stats(noJitter.snapshot)],
      ['launch → connected (default 0–250 ms jitter)', stats(withJitter.connected)],
      ['launch → first presence snapshot applied (default jitter)', stats(withJitter.snapshot)],
      ['status change → contact’s presence event', stats(statusLatency)],
    ];
    const base = (rows[0] as [string, Stats])[1].median;
    for (const [name, s] of rows) {
      console.log(`${name}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)} (${(s.median / base).toFixed(1)}× baseline median)`);
    }
    const date = new Date().toISOString().slice(0, 10);
    const table = rows
      .map(([name, s]) => `| ${name} | ${fmt(s.median)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${(s.median / base).toFixed(1)}× |`)
      .join('\n');
    appendFileSync(
      new URL('./RESULTS.md', import.meta.url),
      `\n## Client core (\`npm run bench:client\`), ${date}\n\nMachine: ${machine}. ${CONNECT_RUNS} launches per variant, ${STATUS_RUNS} status changes; server in its own process on 127.0.0.1.\n\n| measurement | median | p99 | max | median vs baseline |\n|---|---|---|---|---|\n${table}\n`,
    );
    alice.close();
    bob.close();
  } finally {
    await server.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}

await main();

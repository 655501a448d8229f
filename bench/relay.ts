/**
 * `npm run bench:relay` — 1 KiB envelopes between pairs of clients, through our signaling server
 * (authenticated sessions, mutual contacts, every frame schema-checked, sender stamped) and
 * through PeerJS server (`peer` on npm: its OFFER relay, no auth, no validation), each in its
 * own process, in the same run: messages per second and p50/p99 latency at a fixed offered load
 * and at saturation, and the ratio (issue 7, goal: ours >= PeerJS server's).
 */
import { freePort } from '@discordopus/test-support';
import { Worker } from './lib/fleet';
import { loopbackSources } from './lib/lean-client';
import { appendResults, envInt, int, machineInfo, ms, percentiles, runBenchmark } from './lib/report';
import { type BenchProcess, cpuMs, startPeerjs, startSignaling, workerFlags } from './lib/server-proc';

const WORKERS = envInt('BENCH_WORKERS', 2);
const PAIRS = envInt('BENCH_PAIRS', 50);
const RATE = envInt('BENCH_RATE', 2_000);
const WINDOW = envInt('BENCH_WINDOW', 16);
const DURATION_MS = envInt('BENCH_DURATION_MS', 10_000);
// Our per-socket budgets (20/s) protect a real deployment; a benchmark of the relay path lifts them.
const OUR_FLAGS = ['--relay-per-second', '1000000', '--relay-burst', '100000', '--frames-per-second', '1000000', '--frames-burst', '1000000', '--max-connections', '100000', '--max-connections-per-address', '0'];

interface Run {
  rate: number;
  p50: number;
  p99: number;
  lost: number;
  cpu: number;
}

async function measure(kind: 'ours' | 'peerjs', server: BenchProcess): Promise<{ fixed: Run; saturated: Run }> {
  const workers = Array.from({ length: WORKERS }, () => new Worker('./relay-worker.ts'));
  try {
    await Promise.all(workers.map((w, i) => w.call('setup', { kind, url: server.url, pairs: PAIRS, offset: i * 10_000, sources: loopbackSources(10, i * 10) })));
    // Warm-up, not measured.
    await Promise.all(workers.map((w) => w.call('fixed', { ratePerSecond: 500, durationMs: 2_000 })));
    const run = async (cmd: string, args: Record<string, unknown>): Promise<Run> => {
      const cpu0 = cpuMs(server.pid);
      const res = await Promise.all(workers.map((w) => w.call<{ sent: number; received?: number; latencies: number[]; elapsedMs: number }>(cmd, args)));
      const elapsed = Math.max(...res.map((r) => r.elapsedMs)) / 1000;
      const latencies = res.flatMap((r) => r.latencies);
      const p = percentiles(latencies);
      const sent = res.reduce((a, r) => a + r.sent, 0);
      const received = cmd === 'fixed' ? latencies.length : res.reduce((a, r) => a + (r.received ?? 0), 0);
      return { rate: received / elapsed, p50: p.p50, p99: p.p99, lost: cmd === 'fixed' ? sent - received : 0, cpu: (cpuMs(server.pid) - cpu0) / 1000 / elapsed };
    };
    const fixed = await run('fixed', { ratePerSecond: RATE / WORKERS, durationMs: DURATION_MS });
    const saturated = await run('saturate', { window: WINDOW, durationMs: DURATION_MS });
    return { fixed, saturated };
  } finally {
    for (const w of workers) w.kill();
  }
}

const row = (what: string, r: Run): string => `| ${what} | ${int(r.rate)}/s | ${ms(r.p50)} | ${ms(r.p99)} | ${r.lost} | ${(r.cpu * 100).toFixed(0)} % |`;

async function main(): Promise<void> {
  console.log(`machine: ${machineInfo()}`);
  console.log(`parameters: ${WORKERS} load-generator processes x ${PAIRS} pairs, fixed load ${RATE}/s, saturation window ${WINDOW} per pair, ${DURATION_MS} ms per run, 1 KiB payloads`);
  const cluster = await workerFlags();
  const ours = await startSignaling(await freePort(), [...OUR_FLAGS, ...cluster.flags]);
  let oursResult;
  try {
    oursResult = await measure('ours', ours);
  } finally {
    await ours.kill('SIGKILL');
    await cluster.stop();
  }
  const peer = await startPeerjs(await freePort(), ['--concurrent_limit', '100000']);
  let peerResult;
  try {
    peerResult = await measure('peerjs', peer);
  } finally {
    await peer.kill('SIGKILL');
  }
  const workersNote = cluster.flags.length > 0 ? ` Ours ran as \`${cluster.flags[0]} ${cluster.flags[1]}\` (nodes joined by a local redis-server; a pair may straddle two workers, its messages then cross Redis); server CPU is the sum over its processes.` : '';
  appendResults('Relay vs PeerJS server (`npm run bench:relay`)', [
    `Parameters: ${WORKERS * PAIRS} sender → receiver pairs (${WORKERS} load-generator processes), 1 KiB payloads; fixed load ${int(RATE)} messages/s for ${DURATION_MS / 1000} s; saturation: ${WINDOW} messages in flight per pair (closed loop) for ${DURATION_MS / 1000} s. Ours: \`signal.send\` → \`signal.relay\` between logged-in mutual contacts, relay (per key) and frame (per socket) budgets lifted for the run (${OUR_FLAGS.slice(0, 8).join(' ')}). PeerJS server ${'1.0.2'}: \`OFFER\` forwarded by id, no authentication, no validation. Each server alone in its own process, one after the other.${workersNote}`,
    '',
    '| server, load | messages/s | p50 | p99 | lost | server CPU (of one core) |',
    '|---|---|---|---|---|---|',
    row(`ours, fixed ${int(RATE)}/s`, oursResult.fixed),
    row(`PeerJS, fixed ${int(RATE)}/s`, peerResult.fixed),
    row('ours, saturation', oursResult.saturated),
    row('PeerJS, saturation', peerResult.saturated),
    '',
    `Saturation throughput ratio ours / PeerJS server: **${(oursResult.saturated.rate / peerResult.saturated.rate).toFixed(2)}×** (goal ≥ 1).`,
  ]);
}

runBenchmark(main);

/**
 * `npm run bench:presence-fanout` — with the capacity population connected (N clients, 20
 * mutual contacts each), a steady rate of status changes (default 100/s); the latency from each
 * change being sent to each mutual contact's receipt (p50/p99/max) and the updates delivered
 * per second (issue 7, goal: p99 < 50 ms at 20,000 clients with 100 changes/s). Sender and
 * receivers of a change live in the same load-generator process, so one clock measures both.
 */
import { execSync } from 'node:child_process';
import { freePort } from '@discordopus/test-support';
import { appendResults, envInt, int, machineInfo, ms, percentiles, runBenchmark } from './lib/report';
import { startPopulation, until } from './lib/population';
import { cpuMs } from './lib/server-proc';

const hardFdLimit = Number(execSync('ulimit -Hn', { shell: '/bin/bash' }).toString().trim()) || 20_000;
const N = envInt('BENCH_N', Math.min(20_000, hardFdLimit - 100));
const DEGREE = 20;
const WORKERS = envInt('BENCH_WORKERS', 2);
const RATE = envInt('BENCH_RATE', 100);
const CHANGES = envInt('BENCH_CHANGES', 3_000);
const HEARTBEAT_MS = envInt('BENCH_HEARTBEAT_MS', 25_000);

interface FanoutResult {
  changes: number;
  expected: number;
  latencies: number[];
  firstSentAt: number;
  lastSentAt: number;
  lastReceiptAt: number;
}

async function main(): Promise<void> {
  console.log(`machine: ${machineInfo()}`);
  console.log(`parameters: N=${N}, ${DEGREE} contacts each, ${RATE} status changes/s, ${CHANGES} changes, ${WORKERS} load-generator processes, heartbeat ${HEARTBEAT_MS} ms`);
  const pop = await startPopulation({ n: N, degree: DEGREE, workers: WORKERS, concurrency: 64, port: await freePort(), serverFlags: ['--heartbeat-interval-ms', String(HEARTBEAT_MS)] });
  try {
    console.log(`connected ${pop.connected}/${N} in ${(pop.connectMs / 1000).toFixed(1)} s`);
    await until(async () => (await pop.state()).converged >= pop.connected, 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const cpu0 = cpuMs(pop.server.pid);
    const perWorker = Math.ceil(CHANGES / WORKERS);
    const results = await Promise.all(pop.workers.map((w) => w.call<FanoutResult>('fanout', { count: perWorker, ratePerSecond: RATE / WORKERS, settleMs: 10_000 })));
    const latencies = results.flatMap((r) => r.latencies);
    const expected = results.reduce((a, r) => a + r.expected, 0);
    const changes = results.reduce((a, r) => a + r.changes, 0);
    const first = Math.min(...results.map((r) => r.firstSentAt));
    const lastSent = Math.max(...results.map((r) => r.lastSentAt));
    const lastReceipt = Math.max(...results.map((r) => r.lastReceiptAt));
    const cpu = (cpuMs(pop.server.pid) - cpu0) / (lastReceipt - first);
    const p = percentiles(latencies);
    const offered = changes / ((lastSent - first) / 1000);
    const delivered = latencies.length / ((lastReceipt - first) / 1000);
    const lines = [
      `Parameters: ${int(pop.connected)} clients connected (of ${int(N)}; fd hard limit ${hardFdLimit}), ${DEGREE} mutual contacts each, ${int(changes)} status changes (online → away, each by a different client) offered at ${RATE}/s, ${WORKERS} load-generator processes, server heartbeat every ${HEARTBEAT_MS / 1000} s; latency = change sent by the client → \`presence.update\` read by the contact's client, both in one process.`,
      '',
      '| measurement | value | goal |',
      '|---|---|---|',
      `| status changes offered | ${int(changes)} at ${offered.toFixed(0)}/s | 100/s |`,
      `| presence updates received / expected | ${int(latencies.length)} / ${int(expected)} | all |`,
      `| latency p50 / p99 / max | ${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.max)} | p99 < 50 ms |`,
      `| updates delivered per second | ${int(delivered)} | |`,
      `| server CPU during the run | ${(cpu * 100).toFixed(1)} % of one core | |`,
    ];
    appendResults('Presence fan-out (`npm run bench:presence-fanout`)', lines);
  } finally {
    await pop.stop();
  }
}

runBenchmark(main);

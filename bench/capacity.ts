/**
 * `npm run bench:capacity` — N authenticated idle clients, each with 20 mutual contacts, on one
 * server process (issue 7, goal: 20,000 clients under 16 KiB of server RSS per connection).
 * Reports server RSS per connection above its baseline, CPU at idle with heartbeats, and the
 * time to connect everyone. Scale with BENCH_N, BENCH_IDLE_MS, BENCH_WORKERS.
 */
import { execSync } from 'node:child_process';
import { freePort } from '@discordopus/test-support';
import { appendResults, envInt, int, machineInfo, mib, runBenchmark } from './lib/report';
import { startPopulation, until } from './lib/population';
import { cpuMs, rssBytes } from './lib/server-proc';

const hardFdLimit = Number(execSync('ulimit -Hn', { shell: '/bin/bash' }).toString().trim()) || 20_000;
// One server process holds every socket, and its fd limit is the hard limit: stay under it.
const N = envInt('BENCH_N', Math.min(20_000, hardFdLimit - 100));
const DEGREE = 20;
const WORKERS = envInt('BENCH_WORKERS', 2);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 64);
const IDLE_MS = envInt('BENCH_IDLE_MS', 30_000);
const HEARTBEAT_MS = envInt('BENCH_HEARTBEAT_MS', 25_000);

async function main(): Promise<void> {
  console.log(`machine: ${machineInfo()}`);
  console.log(`parameters: N=${N} clients, ${DEGREE} mutual contacts each, ${WORKERS} load-generator processes x ${CONCURRENCY} handshakes in flight, heartbeat ${HEARTBEAT_MS} ms, idle window ${IDLE_MS} ms, fd hard limit ${hardFdLimit}`);
  const pop = await startPopulation({ n: N, degree: DEGREE, workers: WORKERS, concurrency: CONCURRENCY, port: await freePort(), serverFlags: ['--heartbeat-interval-ms', String(HEARTBEAT_MS)] });
  try {
    console.log(`connected ${pop.connected}/${N} in ${(pop.connectMs / 1000).toFixed(1)} s (${pop.failed} failed), server CPU ${(pop.connectCpuMs / 1000).toFixed(1)} s`);
    const converged = await until(async () => (await pop.state()).converged >= pop.connected, 60_000);
    const st = await pop.state();
    console.log(`presence: ${st.converged}/${pop.connected} clients see all ${DEGREE} contacts (${converged ? 'converged' : 'NOT converged'})`);
    await new Promise((r) => setTimeout(r, 3_000));
    const rss = rssBytes(pop.server.pid);
    const perConn = (rss - pop.baselineRssBytes) / pop.connected;
    const cpu0 = cpuMs(pop.server.pid);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleCpu = (cpuMs(pop.server.pid) - cpu0) / (Date.now() - t0);
    const after = await pop.state();
    const rssEnd = rssBytes(pop.server.pid);
    const lines = [
      `Parameters: ${int(N)} clients (${WORKERS} load-generator processes, ${CONCURRENCY} handshakes in flight each, 80 source addresses), ${DEGREE} mutual contacts each (ring), heartbeat every ${HEARTBEAT_MS / 1000} s, server \`--log-level warn\`. Each process's open-file hard limit here is ${hardFdLimit}, so one server process cannot hold 20,000 sockets; N is the most that fits.`,
      '',
      '| measurement | value | goal |',
      '|---|---|---|',
      `| clients authenticated | ${int(pop.connected)} of ${int(N)} (${pop.failed} failed) | 20,000 |`,
      `| time to connect all (login + contacts.set) | ${(pop.connectMs / 1000).toFixed(1)} s (${int(pop.connected / (pop.connectMs / 1000))}/s) | |`,
      `| server CPU while connecting | ${(pop.connectCpuMs / 1000).toFixed(1)} s (${((pop.connectCpuMs / pop.connected) * 1000).toFixed(0)} µs per client) | |`,
      `| presence converged | ${st.converged} of ${pop.connected} see all ${DEGREE} contacts | |`,
      `| server RSS: baseline → loaded | ${mib(pop.baselineRssBytes)} → ${mib(rss)} (${mib(rssEnd)} after the idle window) | |`,
      `| server RSS per connection above baseline | ${(perConn / 1024).toFixed(1)} KiB | < 16 KiB |`,
      `| server CPU at idle, heartbeats on | ${(idleCpu * 100).toFixed(2)} % of one core over ${IDLE_MS / 1000} s | |`,
      `| still authenticated after the idle window | ${int(after.authenticated)} | |`,
    ];
    appendResults('Signaling capacity (`npm run bench:capacity`)', lines);
  } finally {
    await pop.stop();
  }
}

runBenchmark(main);

/**
 * `npm run bench:storm` — reconnect storm: the capacity population is connected, each client
 * reconnecting with the client core's own policy (full jitter, 1 s floor, 60 s cap:
 * packages/core/src/signaling/reconnect-policy.ts); the server is killed with SIGKILL and
 * started again on the same port. Reports the time until every client is re-authenticated with
 * presence converged, the peak accept rate, the server's peak RSS, and how many clients gave up.
 */
import { execSync } from 'node:child_process';
import { freePort } from '@discordopus/test-support';
import { nowMs } from './lib/lean-client';
import { appendResults, envInt, int, machineInfo, mib, runBenchmark } from './lib/report';
import { startPopulation, until } from './lib/population';
import { rssBytes, rssSampler } from './lib/server-proc';

const hardFdLimit = Number(execSync('ulimit -Hn', { shell: '/bin/bash' }).toString().trim()) || 20_000;
const N = envInt('BENCH_N', Math.min(20_000, hardFdLimit - 100));
const DEGREE = 20;
const WORKERS = envInt('BENCH_WORKERS', 2);
const STORM_TIMEOUT_MS = envInt('BENCH_STORM_TIMEOUT_MS', 150_000);
/** Extra server flags, e.g. BENCH_SERVER_FLAGS='--max-pending-logins 0'; admission control is off by default, so the run with it sets BENCH_SERVER_FLAGS='--max-pending-logins 512'. */
const SERVER_FLAGS = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter((f) => f.length > 0);

async function main(): Promise<void> {
  console.log(`machine: ${machineInfo()}`);
  console.log(`parameters: N=${N}, ${DEGREE} contacts each, ${WORKERS} load-generator processes, storm timeout ${STORM_TIMEOUT_MS} ms, server flags: ${SERVER_FLAGS.join(' ') || 'defaults'}`);
  const pop = await startPopulation({ n: N, degree: DEGREE, workers: WORKERS, concurrency: 64, port: await freePort(), serverFlags: SERVER_FLAGS });
  try {
    console.log(`connected ${pop.connected}/${N} in ${(pop.connectMs / 1000).toFixed(1)} s`);
    await Promise.all(pop.workers.map((w) => w.call('setReconnect', { on: true })));
    await until(async () => (await pop.state()).converged >= pop.connected, 60_000);
    const rssBefore = rssBytes(pop.server.pid);
    const before = await pop.state();
    const failedBefore = before.failedAttempts;

    const t0 = nowMs();
    await pop.server.kill('SIGKILL');
    const restarted = await pop.restartServer();
    const restartMs = nowMs() - t0;
    console.log(`server killed and listening again after ${(restartMs / 1000).toFixed(1)} s`);
    const sampler = rssSampler(restarted.pid);
    let authAt = NaN;
    let progress = 0;
    const done = await until(async () => {
      const s = await pop.state();
      if (Number.isNaN(authAt) && s.authenticated >= pop.connected) authAt = nowMs() - t0;
      if (nowMs() - t0 > progress * 10_000) {
        progress++;
        const estimate = await loginRateEstimate(restarted.url);
        console.log(`  +${((nowMs() - t0) / 1000).toFixed(0)} s: ${s.authenticated} authenticated, ${s.converged} converged, ${s.failedAttempts - failedBefore} failed attempts, ${s.busyRefusals - before.busyRefusals} busy refusals, admission's capacity estimate ${estimate}`);
      }
      return s.authenticated >= pop.connected && s.converged >= pop.connected;
    }, STORM_TIMEOUT_MS);
    const convergedMs = nowMs() - t0;
    const peakRss = sampler.stop();
    const s = await pop.state();
    const stormSeconds = s.welcomes.filter(([sec]) => sec * 1000 >= t0);
    const peak = Math.max(0, ...stormSeconds.map(([, c]) => c));
    const lines = [
      `Parameters: ${int(pop.connected)} clients (of ${int(N)}; fd hard limit ${hardFdLimit}), ${DEGREE} mutual contacts each, reconnect policy of the client core (1 s floor, doubling ceiling, 60 s cap, full jitter); the server is killed with SIGKILL and restarted at once on the same port (default flags: auth deadline 5 s, offline grace 2 s${SERVER_FLAGS.length > 0 ? `; plus ${SERVER_FLAGS.join(' ')}` : ''}).`,
      '',
      '| measurement | value | goal |',
      '|---|---|---|',
      `| server down (kill → listening again) | ${(restartMs / 1000).toFixed(1)} s | |`,
      `| listening again → 100 % re-authenticated | ${Number.isNaN(authAt) ? 'not reached' : `${((authAt - restartMs) / 1000).toFixed(1)} s`} | |`,
      `| kill → 100 % re-authenticated | ${Number.isNaN(authAt) ? 'not reached' : `${(authAt / 1000).toFixed(1)} s`} | within the 60 s cap + jitter |`,
      `| kill → 100 % with presence converged | ${done ? `${(convergedMs / 1000).toFixed(1)} s` : `not reached in ${STORM_TIMEOUT_MS / 1000} s (${s.converged} of ${pop.connected})`} | |`,
      `| peak accept rate (welcomes in one second) | ${int(peak)}/s | |`,
      `| failed login attempts during the storm (auth deadline, refused, reset) | ${int(s.failedAttempts - failedBefore)} | |`,
      `| of which lost to the auth deadline (4408) | ${int(s.authTimeouts - before.authTimeouts)} | 0 |`,
      `| failed attempts by kind, whole run (connect phase included) | ${s.failureKinds.map(([k, n]) => `${k}: ${int(n)}`).join(', ') || 'none'} | |`,
      `| refused by admission control with a retry delay (4529, not failures) | ${int(s.busyRefusals - before.busyRefusals)} | |`,
      `| clients that gave up | ${s.gaveUp} | 0 |`,
      `| server RSS before the kill / peak of the new process during the storm | ${mib(rssBefore)} / ${mib(peakRss)} | bounded |`,
    ];
    appendResults('Reconnect storm (`npm run bench:storm`)', lines);
  } finally {
    await pop.stop();
  }
}

/** The node's admission capacity estimate from /metrics (logins/s), or '?' when it does not answer in 2 s. */
async function loginRateEstimate(url: string): Promise<string> {
  try {
    const res = await fetch(`${url.replace(/^ws/, 'http')}/metrics`, { signal: AbortSignal.timeout(2_000) });
    const line = (await res.text()).split('\n').find((l) => l.startsWith('discordopus_login_rate_estimate '));
    return line === undefined ? '?' : `${int(Number(line.split(' ')[1]))}/s`;
  } catch {
    return '?';
  }
}

runBenchmark(main);

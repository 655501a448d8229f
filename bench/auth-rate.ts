/**
 * `npm run bench:auth-rate` — logins per second until saturation: load-generator processes run
 * more and more concurrent login loops (fresh socket, hello, Ed25519 proof, welcome, close)
 * against one server process. The physical limit is measured in the same run: the raw Ed25519
 * verify rate of one core with node:crypto, both with a parsed key and parsing the raw key each
 * time as the server must (issue 7, goal: auth >= 40 % of the raw verify rate of one core).
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { authProofSigningInput } from '@discordopus/protocol';
import { freePort } from '@discordopus/test-support';
import { Worker } from './lib/fleet';
import { benchKey, signEd25519 } from './lib/keys';
import WebSocket from 'ws';
import { loopbackSources, nowMs } from './lib/lean-client';
import { appendResults, envInt, int, machineInfo, runBenchmark } from './lib/report';
import { measureFloors, measureLevel, warmUp } from './lib/login-floors';
import { cpuMs, startSignaling, workerFlags } from './lib/server-proc';

const WORKERS = envInt('BENCH_WORKERS', 2);
const STEP_MS = envInt('BENCH_STEP_MS', 6_000);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,4,16,64').split(',').map(Number);
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
/** Concurrency per load generator of the refusal-cost step; BENCH_REFUSALS=0 skips the step. */
const REFUSAL_LEVEL = process.env.BENCH_REFUSALS === '0' ? 0 : envInt('BENCH_REFUSAL_LEVEL', 32);
/** BENCH_FLOORS=0 skips the floors (bench/lib/login-floors.ts). */
const FLOORS_ON = process.env.BENCH_FLOORS !== '0';

type KeyImport = 'parsed once' | 'raw key as JWK each time' | 'raw key as DER SPKI each time';

/** Verifications per second on this (one) thread for `durationMs`, importing the key as given. */
function verifyRate(mode: KeyImport, durationMs: number): number {
  const key = benchKey(1, 'verify');
  const raw = Buffer.from(key.id, 'base64url');
  const message = authProofSigningInput({ serverId: 'ws://127.0.0.1:7717', nonce: new Uint8Array(32), timestampMs: Date.now(), publicKey: key.id });
  const signature = Buffer.from(signEd25519(key, message), 'base64url');
  const parsed = createPublicKey({ key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki' });
  const importKey = (): KeyObject => {
    if (mode === 'parsed once') return parsed;
    if (mode === 'raw key as JWK each time') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.id }, format: 'jwk' });
    return createPublicKey({ key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki' });
  };
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < durationMs) {
    for (let i = 0; i < 100; i++) if (!verify(null, message, importKey(), signature)) throw new Error('verify failed');
    n += 100;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  console.log(`machine: ${machineInfo()}`);
  console.log(`parameters: ${WORKERS} load-generator processes, concurrency levels per process ${LEVELS.join(', ')}, ${STEP_MS} ms per level`);
  verifyRate('raw key as JWK each time', 500); // warm up
  const rawVerify = verifyRate('parsed once', 3_000);
  const jwkVerify = verifyRate('raw key as JWK each time', 3_000);
  const derVerify = verifyRate('raw key as DER SPKI each time', 3_000);
  console.log(`raw Ed25519 verify, one core: ${int(rawVerify)}/s (raw key imported each time: as JWK ${int(jwkVerify)}/s, as DER ${int(derVerify)}/s)`);

  const port = await freePort();
  const cluster = await workerFlags();
  const server = await startSignaling(port, ['--max-connections', '100000', '--max-connections-per-address', '0', ...cluster.flags]);
  const workers = Array.from({ length: WORKERS }, () => new Worker('./auth-worker.ts'));
  const rows: string[] = [];
  let best = 0;
  let bestCpu = 1;
  let bestLevel = LEVELS[0] ?? 1;
  try {
    await warmUp(workers, server.url);
    for (const level of LEVELS) {
      const { rate, failed, cpu } = await measureLevel(workers, server, level, STEP_MS);
      if (rate > best) {
        bestCpu = cpu;
        bestLevel = level;
      }
      best = Math.max(best, rate);
      const row = `| ${level * WORKERS} | ${int(rate)}/s | ${failed} | ${(cpu * 100).toFixed(0)} % | ${((cpu * 1e6) / rate).toFixed(0)} µs | ${((rate / rawVerify) * 100).toFixed(1)} % |`;
      console.log(row);
      rows.push(row);
    }
  } catch (err) {
    for (const w of workers) w.kill();
    throw err;
  } finally {
    await server.kill('SIGKILL');
    await cluster.stop();
  }
  // The floors run at the level where ours did best, with the same load generators.
  const floors = FLOORS_ON && cluster.flags.length === 0 ? await measureFloors(workers, bestLevel, STEP_MS) : [];
  for (const w of workers) w.kill();
  const floorRows = floors.map((f) => `| ${f.name} | ${int(f.rate)}/s | ${f.failed} | ${(f.cpu * 100).toFixed(0)} % | ${((f.cpu * 1e6) / f.rate).toFixed(0)} µs | ${((f.rate / rawVerify) * 100).toFixed(1)} % | ${(best / f.rate).toFixed(2)}× |`);
  for (const row of floorRows) console.log(row);
  const refusal = REFUSAL_LEVEL > 0 && cluster.flags.length === 0 ? await refusalCost(workers.length) : null;
  appendResults('Auth rate (`npm run bench:auth-rate`)', [
    `Parameters: ${WORKERS} load-generator processes, each running N concurrent loops of: open a socket from one of 120 loopback source addresses, read the hello, sign the proof (node:crypto Ed25519), read the welcome, close; ${STEP_MS / 1000} s per level; server \`--log-level warn\`${cluster.flags.length > 0 ? `, \`${cluster.flags[0]} ${cluster.flags[1]}\` with a local redis-server (server CPU summed over its processes)` : ''}. Load generators and server share the 2 cores, and each login costs the client a signature too.`,
    '',
    `Raw Ed25519 verify on one core, same run (node:crypto): **${int(rawVerify)}/s** with the key parsed once; importing the raw 32-byte key each time (a server must, per login) ${int(jwkVerify)}/s as a JWK (what the server does) and ${int(derVerify)}/s as DER SubjectPublicKeyInfo.`,
    '',
    '| logins in flight | logins/s | failed | server CPU (of one core) | server CPU per login | of raw verify rate |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Saturation: **${int(best)} logins/s = ${((best / rawVerify) * 100).toFixed(1)} % of the raw verify rate of one core** (goal ≥ 40 %).`,
    ...(floorRows.length === 0
      ? []
      : [
          '',
          `Floors, same run, same load generators at ${bestLevel * WORKERS} logins in flight (ours did best there), each server alone in its own process: the least a login server can do on Node with \`ws\` (hello, JSON-parse the proof, import the key, verify, welcome: no schema, limits, sessions, presence or metrics), and the same on raw sockets without the \`http\` module and \`ws\` (\`bench/lib/*-login-server.ts\`).`,
          '',
          '| server | logins/s | failed | server CPU (of one core) | server CPU per login | of raw verify rate | ours / it |',
          '|---|---|---|---|---|---|---|',
          `| ours (best level above) | ${int(best)}/s | | ${(bestCpu * 100).toFixed(0)} % | ${((bestCpu * 1e6) / best).toFixed(0)} µs | ${((best / rawVerify) * 100).toFixed(1)} % | 1.00× |`,
          ...floorRows,
        ]),
    ...(refusal === null
      ? []
      : [
          '',
          `Refusals by admission control (a fresh server with \`--max-pending-logins 1\`, its one place held by a socket that never logs in; ${REFUSAL_LEVEL * WORKERS} login loops, each refused with 4529): ${int(refusal.rate)} refusals/s at ${(refusal.cpu * 100).toFixed(0)} % of a core, **${refusal.cpuPerRefusalUs.toFixed(0)} µs of server CPU per refusal**, ${((refusal.cpuPerRefusalUs * best) / 1e6 / bestCpu).toFixed(2)}× the CPU of a login at saturation.`,
        ]),
  ]);
}

/** Server CPU per 4529 refusal: every login loop is refused, the node's only place being held. */
async function refusalCost(workerCount: number): Promise<{ rate: number; cpu: number; cpuPerRefusalUs: number }> {
  const port = await freePort();
  const server = await startSignaling(port, ['--max-connections', '100000', '--max-connections-per-address', '0', '--max-pending-logins', '1', '--auth-deadline-ms', '60000']);
  const holder = new WebSocket(server.url);
  const workers = Array.from({ length: workerCount }, () => new Worker('./auth-worker.ts'));
  try {
    await new Promise<void>((resolve, reject) => {
      holder.once('message', () => resolve());
      holder.once('error', reject);
    });
    await Promise.all(workers.map((w, i) => w.call('run', { url: server.url, concurrency: 2, durationMs: 1_000, keyOffset: i * 10_000, sources: loopbackSources(60, i * 60) })));
    const cpu0 = cpuMs(server.pid);
    const t0 = nowMs();
    const res = await Promise.all(workers.map((w, i) => w.call<{ ok: number; failed: number }>('run', { url: server.url, concurrency: REFUSAL_LEVEL, durationMs: STEP_MS, keyOffset: i * 10_000, sources: loopbackSources(60, i * 60) })));
    const elapsed = (nowMs() - t0) / 1000;
    const refused = res.reduce((a, r) => a + r.failed, 0);
    if (res.some((r) => r.ok > 0)) throw new Error('a login got in past the held place');
    const cpu = (cpuMs(server.pid) - cpu0) / 1000 / elapsed;
    const rate = refused / elapsed;
    console.log(`refusals: ${int(rate)}/s, server CPU ${(cpu * 100).toFixed(0)} %, ${((cpu * 1e6) / rate).toFixed(0)} µs per refusal`);
    return { rate, cpu, cpuPerRefusalUs: (cpu * 1e6) / rate };
  } finally {
    holder.terminate();
    for (const w of workers) w.kill();
    await server.kill('SIGKILL');
  }
}

runBenchmark(main);

import { freePort } from '@discordopus/test-support';
import type { Worker } from './fleet';
import { loopbackSources, nowMs } from './lean-client';
import { cpuMs, startProcess } from './server-proc';

export interface LevelResult {
  rate: number;
  failed: number;
  /** Server CPU over the step, in cores. */
  cpu: number;
}

/** One step of bench:auth-rate: every load generator runs `level` login loops against `url`. */
export async function measureLevel(workers: readonly Worker[], server: { url: string; pid: number }, level: number, stepMs: number): Promise<LevelResult> {
  const cpu0 = cpuMs(server.pid);
  const t0 = nowMs();
  const res = await Promise.all(workers.map((w, i) => w.call<{ ok: number; failed: number }>('run', { url: server.url, concurrency: level, durationMs: stepMs, keyOffset: i * 10_000, sources: loopbackSources(60, i * 60) })));
  const elapsed = (nowMs() - t0) / 1000;
  const ok = res.reduce((a, r) => a + r.ok, 0);
  return { rate: ok / elapsed, failed: res.reduce((a, r) => a + r.failed, 0), cpu: (cpuMs(server.pid) - cpu0) / 1000 / elapsed };
}

/** Warm-up at low concurrency so the JIT has settled before a measured step. */
export async function warmUp(workers: readonly Worker[], url: string): Promise<void> {
  await Promise.all(workers.map((w, i) => w.call('run', { url, concurrency: 2, durationMs: 1_500, keyOffset: i * 10_000, sources: loopbackSources(60, i * 60) })));
}

export const FLOORS = {
  'bare `ws` login server': 'bench/lib/bare-login-server.ts',
  'raw `net` login server (no `http`, no `ws`)': 'bench/lib/raw-login-server.ts',
} as const;

/**
 * The same login loops against the floors (FLOORS), each alone in its own process: what a
 * server doing only the login's unavoidable work costs on this machine in this run.
 */
export async function measureFloors(workers: readonly Worker[], level: number, stepMs: number): Promise<Array<{ name: string } & LevelResult>> {
  const out: Array<{ name: string } & LevelResult> = [];
  for (const [name, script] of Object.entries(FLOORS)) {
    const port = await freePort();
    const server = await startProcess(port, ['--import', 'tsx', script, String(port)]);
    try {
      await warmUp(workers, server.url);
      out.push({ name, ...(await measureLevel(workers, server, level, stepMs)) });
    } finally {
      await server.kill('SIGKILL');
    }
  }
  return out;
}

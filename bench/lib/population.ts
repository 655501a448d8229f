import { Worker, splitRange } from './fleet';
import { loopbackSources, nowMs } from './lean-client';
import { type BenchProcess, cpuMs, rssBytes, startSignaling } from './server-proc';

export interface PopulationParams {
  n: number;
  degree: number;
  workers: number;
  /** Handshakes in flight per worker while connecting. */
  concurrency: number;
  port: number;
  /** Extra server flags. */
  serverFlags: string[];
  nodeArgs?: string[];
}

export interface WorkerState {
  authenticated: number;
  converged: number;
  gaveUp: number;
  failedAttempts: number;
  /** Of the failed attempts, those closed with 4408 (auth deadline). */
  authTimeouts: number;
  /** 4529 refusals with a retry delay (admission control), not counted as failures. */
  busyRefusals: number;
  /** Failed attempts by kind (close code, socket error, client timeout). */
  failureKinds: [string, number][];
  welcomes: [number, number][];
}

export interface Population {
  server: BenchProcess;
  workers: Worker[];
  baselineRssBytes: number;
  connectMs: number;
  connected: number;
  failed: number;
  /** Server CPU time used while connecting everyone. */
  connectCpuMs: number;
  state(): Promise<WorkerState>;
  /** Start a server again on the same port (storm). */
  restartServer(): Promise<BenchProcess>;
  stop(): Promise<void>;
}

/** Flags every population benchmark gives the server: room for n sockets, all from loopback. */
export function serverFlagsFor(n: number, extra: string[] = []): string[] {
  return ['--max-connections', String(n + 1000), '--max-connections-per-address', '0', ...extra];
}

/**
 * Start the server in its own process, then `workers` load-generator processes that log in n
 * clients (ring of `degree` mutual contacts each, spread over many 127.x source addresses).
 */
export async function startPopulation(p: PopulationParams): Promise<Population> {
  const flags = serverFlagsFor(p.n, p.serverFlags);
  let server = await startSignaling(p.port, flags, p.nodeArgs);
  await new Promise((r) => setTimeout(r, 1000)); // let the fresh process settle before the baseline
  const baselineRssBytes = rssBytes(server.pid);
  const ranges = splitRange(p.n, p.workers);
  const workers = ranges.map(() => new Worker('./population-worker.ts'));
  // 40 source addresses per worker: far more ephemeral ports than any run needs.
  await Promise.all(workers.map((w, i) => w.call('init', { url: server.url, n: p.n, degree: p.degree, from: ranges[i]![0], to: ranges[i]![1], sources: loopbackSources(40, i * 40), timeoutMs: 10_000 })));
  const cpu0 = cpuMs(server.pid);
  const t0 = nowMs();
  const results = await Promise.all(workers.map((w) => w.call<{ connected: number; failed: number }>('connect', { concurrency: p.concurrency })));
  const connectMs = nowMs() - t0;
  const connectCpuMs = cpuMs(server.pid) - cpu0;
  const state = async (): Promise<WorkerState> => {
    const all = await Promise.all(workers.map((w) => w.call<WorkerState>('state')));
    const welcomes = new Map<number, number>();
    for (const s of all) for (const [sec, count] of s.welcomes) welcomes.set(sec, (welcomes.get(sec) ?? 0) + count);
    return {
      authenticated: all.reduce((a, s) => a + s.authenticated, 0),
      converged: all.reduce((a, s) => a + s.converged, 0),
      gaveUp: all.reduce((a, s) => a + s.gaveUp, 0),
      failedAttempts: all.reduce((a, s) => a + s.failedAttempts, 0),
      authTimeouts: all.reduce((a, s) => a + s.authTimeouts, 0),
      busyRefusals: all.reduce((a, s) => a + s.busyRefusals, 0),
      failureKinds: mergeCounts(all.map((s) => s.failureKinds)),
      welcomes: [...welcomes.entries()].sort((a, b) => a[0] - b[0]),
    };
  };
  return {
    get server() {
      return server;
    },
    workers,
    baselineRssBytes,
    connectMs,
    connected: results.reduce((a, r) => a + r.connected, 0),
    failed: results.reduce((a, r) => a + r.failed, 0),
    connectCpuMs,
    state,
    restartServer: async () => {
      server = await startSignaling(p.port, flags, p.nodeArgs);
      return server;
    },
    stop: async () => {
      await Promise.allSettled(workers.map((w) => w.call('stop')));
      for (const w of workers) w.kill();
      await server.kill('SIGKILL');
    },
  };
}

/** Poll until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function mergeCounts(lists: [string, number][][]): [string, number][] {
  const merged = new Map<string, number>();
  for (const list of lists) for (const [k, n] of list) merged.set(k, (merged.get(k) ?? 0) + n);
  return [...merged.entries()].sort((a, b) => b[1] - a[1]);
}

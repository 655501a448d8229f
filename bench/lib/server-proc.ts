import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { freePort, portAccepts, spawnListening } from '@discordopus/test-support';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  output(): string;
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Start a server as its own process (node + argv) and wait until its port accepts. `nodeArgs`
 * come before the script (e.g. `--cpu-prof`).
 */
export async function startProcess(port: number, script: string[], nodeArgs: string[] = [], timeoutMs = 30_000): Promise<BenchProcess> {
  const child = spawn(process.execPath, [...nodeArgs, ...script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!(await portAccepts(port))) {
    if (gone) throw new Error(`server exited before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not listen on ${port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    pid: child.pid as number,
    url: `ws://127.0.0.1:${port}`,
    port,
    output: () => output,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      // A profiled server is stopped gently so that it writes its profile, unless it hangs.
      child.kill(profileDir() !== null && signal === 'SIGKILL' ? 'SIGTERM' : signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** BENCH_CPU_PROF=dir: run our server with `--cpu-prof` and write its profiles there. */
function profileDir(): string | null {
  const dir = process.env.BENCH_CPU_PROF;
  return dir === undefined || dir === '' ? null : dir;
}

/** Our signaling server CLI in its own process (flags as in packages/server/src/config/config.ts). */
export function startSignaling(port: number, flags: string[], nodeArgs: string[] = []): Promise<BenchProcess> {
  const dir = profileDir();
  if (dir !== null) nodeArgs = [...nodeArgs, '--cpu-prof', '--cpu-prof-dir', dir];
  return startProcess(port, ['--import', 'tsx', 'packages/server/src/cli.ts', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn', ...flags], nodeArgs);
}

/** PeerJS server (`peer` on npm) in its own process. */
export function startPeerjs(port: number, flags: string[] = []): Promise<BenchProcess> {
  return startProcess(port, ['node_modules/peer/dist/bin/peerjs.js', '--host', '127.0.0.1', '--port', String(port), ...flags]);
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU time (user + system) a process and its live children (the workers of `--workers N`) have
 * used so far, in milliseconds.
 */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(entry) === pid || Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Server flags for BENCH_SERVER_WORKERS=N (N > 1): N workers joined by a redis-server started here. */
export async function workerFlags(): Promise<{ flags: string[]; stop(): Promise<void> }> {
  const workers = Number(process.env.BENCH_SERVER_WORKERS ?? '1');
  if (!Number.isInteger(workers) || workers <= 1) return { flags: [], stop: async () => undefined };
  const port = await freePort();
  const redis = await spawnListening({ port, command: 'redis-server', argv: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'] });
  return { flags: ['--workers', String(workers), '--redis-url', `redis://127.0.0.1:${port}`], stop: async () => void (await redis.kill('SIGKILL')) };
}

/** Samples a process's RSS every `everyMs`, keeping the maximum, until stopped. */
export function rssSampler(pid: number, everyMs = 250): { stop(): number; max(): number } {
  let max = 0;
  const sample = (): void => {
    try {
      max = Math.max(max, rssBytes(pid));
    } catch {
      // the process is between lives (storm restart)
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
    max: () => max,
  };
}

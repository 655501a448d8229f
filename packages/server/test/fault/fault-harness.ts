import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export interface ChildServer {
  port: number;
  url: string;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** One sample of a Prometheus metric (first line starting with `name` that matches `labels`). */
  metric(name: string, labels?: string): Promise<number>;
}

/** Spawn `argv` (node args first) and wait until 127.0.0.1:port accepts. */
export async function spawnListening(port: number, command: string, argv: string[], timeoutMs = 20_000): Promise<ChildServer> {
  const child = spawn(command, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!(await portAccepts(port))) {
    if (gone) throw new Error(`${command} exited before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${command} did not listen on ${port} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const httpBase = `http://127.0.0.1:${port}`;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    child,
    output: () => output,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    metric: async (name, labels) => {
      const body = await (await fetch(`${httpBase}/metrics`)).text();
      const line = body.split('\n').find((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && (labels === undefined || l.includes(labels)));
      return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
    },
  };
}

/** The signaling server CLI in its own process on 127.0.0.1:port. */
export async function startNode(flags: string[], port?: number): Promise<ChildServer> {
  const p = port ?? (await freePort());
  return spawnListening(p, process.execPath, ['--import', 'tsx', 'packages/server/src/cli.ts', '--host', '127.0.0.1', '--port', String(p), '--log-level', 'warn', ...flags]);
}

/** Poll `check` until it holds (state that crosses processes), failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

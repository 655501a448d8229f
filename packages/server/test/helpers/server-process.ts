import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/discordopus-server.mjs', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** stdout + stderr so far (last 64 KiB). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fetch a path over HTTP from the server (healthz, metrics). */
  http(path: string): Promise<{ status: number; body: string }>;
  /** Read one metric's value from /metrics (first sample whose line starts with `name`). */
  metric(name: string): Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start the `discordopus-server` bin as its own process and wait for it to print its URL. */
export async function startServerProcess(args: string[], env: Record<string, string> = {}, timeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const append = (d: Buffer): void => {
    output = (output + d.toString()).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, timeoutMs);
    const check = (): void => {
      const m = /listening on (wss?:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${output}`));
    });
  });
  const httpBase = url.replace(/^ws/, 'http');
  const http = async (path: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${httpBase}${path}`);
    return { status: res.status, body: await res.text() };
  };
  return {
    url,
    child,
    output: () => output,
    exited,
    http,
    metric: async (name) => {
      const { body } = await http('/metrics');
      const line = body.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      if (!line) throw new Error(`no metric ${name}`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    },
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

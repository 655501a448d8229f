import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { portAccepts } from './ports';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ListeningProcess {
  port: number;
  child: ChildProcess;
  /** The last 8,000 characters of stdout and stderr, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited: Promise<number | string>;
  /** Send `signal` (default SIGKILL) unless it already exited; resolves when it has. */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Spawn `command argv` from the repository root and wait until 127.0.0.1:`port` accepts
 * connections; fail with its output if it exits first or takes longer than `timeoutMs`.
 */
export async function spawnListening(options: {
  port: number;
  command: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<ListeningProcess> {
  const { port, command, argv } = options;
  const child = spawn(command, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let gone: string | null = null;
  void exited.then((code) => (gone = String(code)));
  void spawnFailed.then((err) => (gone = err.message));
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!(await portAccepts(port))) {
    if (gone !== null) throw new Error(`${command} exited (${gone}) before listening on ${port}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${command} did not listen on ${port} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The real signaling server CLI as its own process (node with the tsx loader: one process, so a
 * SIGKILL really kills it), listening on 127.0.0.1:`port`, quiet unless it warns.
 */
export async function startSignalingProcess(options: {
  port: number;
  flags?: string[];
  /** Node options before the script, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<ListeningProcess & { url: string }> {
  const { port } = options;
  const proc = await spawnListening({
    port,
    command: process.execPath,
    argv: [
      ...(options.nodeArgs ?? []),
      '--import',
      'tsx',
      'packages/server/src/cli.ts',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warn',
      ...(options.flags ?? []),
    ],
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return { ...proc, url: `ws://127.0.0.1:${port}` };
}

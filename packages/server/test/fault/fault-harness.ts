import type { ChildProcess } from 'node:child_process';
import { freePort, type ListeningProcess, spawnListening, waitFor } from '@discordopus/test-support';

export { freePort, waitFor };

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
export async function spawnChildServer(port: number, command: string, argv: string[], timeoutMs = 20_000): Promise<ChildServer> {
  const proc: ListeningProcess = await spawnListening({ port, command, argv, timeoutMs });
  const httpBase = `http://127.0.0.1:${port}`;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    child: proc.child,
    output: proc.output,
    kill: async (signal = 'SIGKILL') => {
      await proc.kill(signal);
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
  return spawnChildServer(p, process.execPath, ['--import', 'tsx', 'packages/server/src/cli.ts', '--host', '127.0.0.1', '--port', String(p), '--log-level', 'warn', ...flags]);
}

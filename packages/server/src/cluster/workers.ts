import cluster, { type Worker } from 'node:cluster';
import type { ServerConfig } from '../config/config';
import { type RunningServer, startSignalingServer } from '../server';

/** What a worker tells the primary once it listens. */
interface ListeningNote {
  type: 'discordopus.listening';
  url: string;
  nodeId: string;
}

function isListeningNote(value: unknown): value is ListeningNote {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'discordopus.listening';
}

/** How long a crashed worker's replacement waits, so a worker that cannot start does not spin. */
const RESPAWN_DELAY_MS = 1_000;

/**
 * `discordopus-server --workers N` (INFR-06): the primary process forks N workers with
 * node:cluster; each runs a whole signaling node (its own id, limits and metrics) on the shared
 * port (`workerBalance`: each worker accepts from the listening socket itself, or the primary deals
 * the sockets out in turn), and the nodes join over the Redis backplane as separate machines would. The primary only
 * supervises: it prints the URL once every worker listens, replaces a worker that dies, and on
 * SIGTERM/SIGINT stops them all gracefully. A worker whose primary is gone exits at once, so a
 * killed primary never leaves orphans holding sockets.
 */
export function runPrimary(config: ServerConfig, out: NodeJS.WritableStream): void {
  const count = config.workers;
  let stopping = false;
  const listening = new Map<number, ListeningNote>();
  let announced = false;

  // Set before the first fork: it decides how the workers' shared listening socket is made.
  cluster.schedulingPolicy = config.workerBalance === 'kernel' ? cluster.SCHED_NONE : cluster.SCHED_RR;
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ DISCORDOPUS_WORKER_INDEX: String(index) });
    worker.on('message', (msg: unknown) => {
      if (!isListeningNote(msg)) return;
      listening.set(index, msg);
      out.write(`worker ${index} (pid ${worker.process.pid}) listening as node ${msg.nodeId}\n`);
      if (!announced && listening.size === count) {
        announced = true;
        out.write(`DiscordOpus signaling server listening on ${msg.url} (${count} workers)\n`);
      }
    });
    worker.on('exit', (code, signal) => {
      listening.delete(index);
      if (stopping) return;
      out.write(`worker ${index} exited (${signal ?? code}); starting another\n`);
      setTimeout(() => !stopping && fork(index), RESPAWN_DELAY_MS).unref();
    });
    return worker;
  };
  for (let i = 1; i <= count; i++) fork(i);

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    out.write(`${signal}: shutting down ${count} workers\n`);
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 4_000).unref();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    if (left === 0) process.exit(0);
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** In a worker: start the node, tell the primary, and leave with it. */
export async function runWorker(config: ServerConfig): Promise<RunningServer> {
  const index = process.env.DISCORDOPUS_WORKER_INDEX ?? String(cluster.worker?.id ?? 0);
  const server = await startSignalingServer(config.nodeId === undefined ? config : { ...config, nodeId: `${config.nodeId}-${index}` });
  process.on('disconnect', () => process.exit(1)); // the primary is gone
  const note: ListeningNote = { type: 'discordopus.listening', url: server.url, nodeId: server.nodeId };
  process.send?.(note);
  return server;
}

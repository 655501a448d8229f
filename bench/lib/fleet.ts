import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A request/reply channel to one load-generator process (its own node, its own fd limit). */
export class Worker {
  readonly #child: ChildProcess;
  #seq = 0;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(script: string) {
    this.#child = fork(fileURLToPath(new URL(script, import.meta.url)), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (m: { seq: number; ok: boolean; value?: unknown; error?: string }) => {
      const w = this.#waiting.get(m.seq);
      if (!w) return;
      this.#waiting.delete(m.seq);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error));
    });
    this.#child.on('exit', (code) => {
      for (const w of this.#waiting.values()) w.reject(new Error(`load generator exited (${code})`));
      this.#waiting.clear();
    });
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const seq = ++this.#seq;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.#child.send({ seq, cmd, args });
    });
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}

/** In a worker: answer the coordinator's calls with `handlers[cmd](args)`. */
export function serveWorker(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (m: { seq: number; cmd: string; args: never }) => {
    const handler = handlers[m.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        return handler(m.args);
      })
      .then(
        (value) => process.send?.({ seq: m.seq, ok: true, value }),
        (err: unknown) => process.send?.({ seq: m.seq, ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

/** Split [0, n) into `parts` contiguous ranges. */
export function splitRange(n: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, i) => [Math.floor((i * n) / parts), Math.floor(((i + 1) * n) / parts)] as [number, number]);
}

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A fixture script from test/fixtures, run in a real Node process through tsx. */
export class FixtureProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #waiters: { predicate: (lines: string[]) => boolean; resolve: () => void }[] = [];

  constructor(fixture: string, args: string[]) {
    const script = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.#waiters = this.#waiters.filter((w) => (w.predicate(this.lines) ? (w.resolve(), false) : true));
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves once the output satisfies `predicate`; rejects if the process exits first. */
  waitFor(predicate: (lines: string[]) => boolean): Promise<void> {
    if (predicate(this.lines)) return Promise.resolve();
    return Promise.race([
      new Promise<void>((resolve) => this.#waiters.push({ predicate, resolve })),
      this.exited.then(({ code, signal }) => {
        if (predicate(this.lines)) return;
        throw new Error(`fixture exited (${code ?? signal}) before the expected output:\n${this.stderr.join('')}`);
      }),
    ]);
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

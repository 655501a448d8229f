import { appendFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The 1-minute load average when the benchmark started: this machine is shared. */
const START_LOAD = loadavg()[0] ?? 0;

export function machineInfo(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}; 1-min load average ${START_LOAD.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} now`;
}

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentiles(samples: readonly number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => (s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor(q * s.length))] as number));
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s.length === 0 ? NaN : (s[s.length - 1] as number) };
}

export const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
export const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** Integer from an environment variable, with a default: every benchmark is scaled by these. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return Math.floor(value);
}

/** Append one dated section to bench/RESULTS.md and echo it. */
export function appendResults(title: string, body: string[]): void {
  const date = new Date().toISOString().slice(0, 10);
  // BENCH_LABEL: which run of a series this is (e.g. "issue 16, run 2 of 3, admission off").
  const label = process.env.BENCH_LABEL ? `Run: ${process.env.BENCH_LABEL}.\n\n` : '';
  const text = `\n## ${title}, ${date}\n\n${label}Machine: ${machineInfo()}.\n\n${body.join('\n')}\n`;
  // BENCH_NO_RECORD=1: a trial run, printed but not recorded.
  if (process.env.BENCH_NO_RECORD !== '1') appendFileSync(fileURLToPath(new URL('../RESULTS.md', import.meta.url)), text);
  console.log(text);
}

/** Run a benchmark's main and exit: 0 when it finished, 1 (with the error) when it failed. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

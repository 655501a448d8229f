/** One progress report: bytes so far, speed over the last few seconds and the time left. */
export interface ProgressSample {
  bytes: number;
  size: number;
  bytesPerSecond: number;
  /** null while the speed is not known yet (or zero). */
  etaMs: number | null;
}

/**
 * Speed and time left from a stream of byte counts (FILE-01), throttled: `update` returns a
 * sample at most once per `intervalMs` (and always for the last byte), else null. The clock is
 * injected.
 */
export class ProgressMeter {
  readonly #size: number;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #windowMs: number;
  readonly #points: { at: number; bytes: number }[] = [];
  #lastEmitAt = Number.NEGATIVE_INFINITY;

  constructor(options: { size: number; now: () => number; intervalMs?: number; windowMs?: number; startBytes?: number }) {
    this.#size = options.size;
    this.#now = options.now;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#windowMs = options.windowMs ?? 3000;
    this.#points.push({ at: this.#now(), bytes: options.startBytes ?? 0 });
  }

  update(bytes: number): ProgressSample | null {
    const at = this.#now();
    const last = this.#points[this.#points.length - 1]!;
    if (at > last.at || bytes >= this.#size) this.#points.push({ at, bytes });
    else last.bytes = bytes;
    while (this.#points.length > 2 && this.#points[0]!.at < at - this.#windowMs) this.#points.shift();
    if (bytes < this.#size && at - this.#lastEmitAt < this.#intervalMs) return null;
    this.#lastEmitAt = at;
    return this.sample(bytes);
  }

  sample(bytes: number): ProgressSample {
    const first = this.#points[0]!;
    const last = this.#points[this.#points.length - 1]!;
    const elapsed = last.at - first.at;
    const bytesPerSecond = elapsed > 0 ? Math.max(0, ((last.bytes - first.bytes) * 1000) / elapsed) : 0;
    const left = Math.max(0, this.#size - bytes);
    const etaMs = left === 0 ? 0 : bytesPerSecond > 0 ? Math.round((left * 1000) / bytesPerSecond) : null;
    return { bytes, size: this.#size, bytesPerSecond: Math.round(bytesPerSecond), etaMs };
  }
}

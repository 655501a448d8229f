import type { Clock } from '../signaling/clock';

/**
 * A clock whose time moves only when a test says so, for the link layer's own timers (idle,
 * heartbeat, set-up timeout, reopen). The WebRTC engine keeps running on real time; only the
 * policy timers are frozen, so a test can step over minutes without sleeping.
 */
export class ManualClock implements Clock {
  #offset = 0;
  readonly #base: number;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  constructor(base = Date.UTC(2026, 10, 29, 12)) {
    this.#base = base;
  }

  now(): number {
    return this.#base + Math.floor(this.#offset);
  }

  monotonic(): number {
    return this.#offset;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#offset + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Pending timers (for assertions that nothing is left behind). */
  get pending(): number {
    return this.#timers.size;
  }

  /** Move time forward, running every timer that falls due, in order (also ones set meanwhile). */
  advance(ms: number): void {
    const target = this.#offset + ms;
    for (;;) {
      let nextId: number | null = null;
      let nextAt = Infinity;
      for (const [id, t] of this.#timers) {
        if (t.at <= target && t.at < nextAt) {
          nextAt = t.at;
          nextId = id;
        }
      }
      if (nextId === null) break;
      const timer = this.#timers.get(nextId);
      this.#timers.delete(nextId);
      this.#offset = Math.max(this.#offset, nextAt);
      timer?.fn();
    }
    this.#offset = target;
  }
}

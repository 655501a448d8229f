import type { Clock } from '../../src/index';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  everyMs: number | null;
}

/**
 * A clock that moves only when the test says so. `advance` runs every timer that falls due, in
 * time order (intervals repeat), synchronously; `setWallClock` moves `now()` alone, like a
 * change of the system time, without firing anything.
 */
export class FakeClock implements Clock {
  #now: number;
  #elapsed = 0;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now = (): number => this.#now;

  setTimeout = (fn: () => void, ms: number): unknown => this.#add(fn, ms, null);
  setInterval = (fn: () => void, ms: number): unknown => this.#add(fn, ms, Math.max(1, ms));
  clearTimeout = (handle: unknown): void => void this.#timers.delete(handle as number);
  clearInterval = (handle: unknown): void => void this.#timers.delete(handle as number);

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.size;
  }

  setWallClock(ms: number): void {
    this.#now = ms;
  }

  advance(ms: number): void {
    const until = this.#elapsed + ms;
    for (;;) {
      let due: Timer | null = null;
      for (const t of this.#timers.values()) if (t.at <= until && (due === null || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
      if (due === null) break;
      this.#now += due.at - this.#elapsed;
      this.#elapsed = due.at;
      if (due.everyMs === null) this.#timers.delete(due.id);
      else due.at += due.everyMs;
      due.fn();
    }
    this.#now += until - this.#elapsed;
    this.#elapsed = until;
  }

  #add(fn: () => void, ms: number, everyMs: number | null): number {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.#elapsed + Math.max(0, ms), fn, everyMs });
    return id;
  }
}

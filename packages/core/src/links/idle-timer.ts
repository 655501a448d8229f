import type { Clock } from '../signaling/clock';

export interface IdleTimerOptions {
  clock: Clock;
  /** The idle period in force (read at every check: it may change while the timer runs). */
  timeoutMs: () => number;
  /** Monotonic time of the last use. */
  lastUsedAt: () => number;
  /** Something uses the link outside its frames (a file's bytes): not idle, look again a period later. */
  inUse?: () => boolean;
  onIdle: () => void;
}

/**
 * Calls `onIdle` once nothing used the link for the idle period (P2P-01: links close when idle).
 * It sleeps until the period could end, then looks at the last use again, so a use in between
 * costs nothing but a later wake-up.
 */
export class IdleTimer {
  readonly #o: IdleTimerOptions;
  #timer: unknown = null;

  constructor(options: IdleTimerOptions) {
    this.#o = options;
  }

  /** Start counting; the first check comes after `firstCheckMs` (default: what is left of the period). */
  start(firstCheckMs: number = this.#left()): void {
    this.stop();
    this.#schedule(firstCheckMs);
  }

  /** The idle period changed: count again from the last use (only while running). */
  periodChanged(): void {
    if (this.#timer !== null) this.start();
  }

  stop(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #left(): number {
    return Math.max(0, this.#o.timeoutMs() - (this.#o.clock.monotonic() - this.#o.lastUsedAt()));
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = null;
      const left = this.#left();
      if (left > 0) this.#schedule(left);
      else if (this.#o.inUse?.() === true) this.#schedule(this.#o.timeoutMs());
      else this.#o.onIdle();
    }, delayMs);
  }
}

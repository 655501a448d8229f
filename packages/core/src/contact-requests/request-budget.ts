import type { Clock } from '../signaling/clock';

/** A token bucket on this side (CONT-06: requests are rate-limited by the sender too). */
export class RequestBudget {
  readonly #clock: Pick<Clock, 'now'>;
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  constructor(options: { clock: Pick<Clock, 'now'>; perMinute: number; burst: number }) {
    this.#clock = options.clock;
    this.#perMs = options.perMinute / 60_000;
    this.#burst = options.burst;
    this.#tokens = options.burst;
    this.#at = options.clock.now();
  }

  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** ms until one more token is there (0 when one is). */
  msUntilNext(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#at) * this.#perMs);
    this.#at = now;
  }
}

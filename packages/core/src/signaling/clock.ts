
/**
 * Time as the signaling layer sees it, injected so tests can use fake timers.
 * `now` is the wall clock (timestamps that leave the process); `monotonic` never jumps and
 * measures intervals — and, because it stops while the computer sleeps, the difference between
 * the two reveals a sleep.
 */
export interface Clock {
  now(): number;
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The largest delay Node's setTimeout honours; longer ones fire at once (TimeoutOverflowWarning). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  // The global, looked up at call time, so test fake timers can control it.
  monotonic: () => globalThis.performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_DELAY_MS)),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

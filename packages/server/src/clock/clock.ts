/**
 * Time as the server sees it, injected so tests can use fake time (CONVENTIONS 7). The server
 * may not import the client core, so it has its own small Clock, shaped like the core's.
 * `now` is the wall clock (login timestamps, TURN expiry, rate budgets); the timers drive
 * deadlines: auth deadline, close handshake, offline grace, node and socket heartbeats,
 * bounded shutdown.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The largest delay Node's timers honour; longer ones fire at once (TimeoutOverflowWarning). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

function clamp(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_DELAY_MS);
}

/**
 * Real time. Timers are unref'd: the listening socket is what keeps a server process alive, and
 * a closed server must never be held open by a deadline that no longer matters.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, clamp(ms)).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, clamp(ms)).unref(),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

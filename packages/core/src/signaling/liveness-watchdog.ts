import type { Clock } from './clock';

/** Server-announced heartbeat intervals are clamped to this range (server input is not trusted). */
export const HEARTBEAT_INTERVAL_BOUNDS_MS = { min: 1_000, max: 120_000 } as const;

export type LivenessFailure = 'HEARTBEAT_TIMEOUT' | 'CLOCK_JUMP';

export interface LivenessWatchdogOptions {
  clock: Clock;
  /** How often the watchdog wakes up. */
  tickMs: number;
  /** The server's heartbeat interval (clamped); we ping at this rate. */
  heartbeatIntervalMs: number;
  /** Time the wall clock may run ahead of the monotonic one (a sleep) before we reconnect. */
  clockJumpMs: number;
  sendPing: (wallTimeMs: number) => void;
  onFailure: (failure: LivenessFailure) => void;
}

/**
 * Liveness of the signaling link (CONVENTIONS 8): pings at the server's interval, declares the
 * link dead after two intervals with nothing received, and forces a reconnect after a sleep
 * (the wall clock advanced far more than the monotonic one) or a stall (the process did not
 * run for much longer than a tick). Intervals use the monotonic clock, so setting the system
 * clock back or forward neither hides a dead link nor kills a live one.
 */
export class LivenessWatchdog {
  readonly #o: LivenessWatchdogOptions;
  readonly #heartbeatMs: number;
  #timer: unknown = null;
  #lastReceivedMono = 0;
  #lastTickMono = 0;
  #lastTickWall = 0;
  #sincePingMs = 0;

  constructor(options: LivenessWatchdogOptions) {
    this.#o = options;
    const { min, max } = HEARTBEAT_INTERVAL_BOUNDS_MS;
    this.#heartbeatMs = Math.min(max, Math.max(min, options.heartbeatIntervalMs));
  }

  start(): void {
    const { clock } = this.#o;
    this.#lastReceivedMono = this.#lastTickMono = clock.monotonic();
    this.#lastTickWall = clock.now();
    this.#sincePingMs = 0;
    this.#arm();
  }

  stop(): void {
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Anything arrived from the server: the link is alive. */
  noteReceived(): void {
    this.#lastReceivedMono = this.#o.clock.monotonic();
  }

  #arm(): void {
    this.#timer = this.#o.clock.setTimeout(() => this.#tick(), this.#o.tickMs);
  }

  #tick(): void {
    this.#timer = null;
    const { clock, tickMs, clockJumpMs } = this.#o;
    const mono = clock.monotonic();
    const wall = clock.now();
    const monoDelta = mono - this.#lastTickMono;
    const wallDelta = wall - this.#lastTickWall;
    this.#lastTickMono = mono;
    this.#lastTickWall = wall;
    if (wallDelta - monoDelta > clockJumpMs || monoDelta > tickMs + clockJumpMs) {
      // Slept or stalled: the socket is probably dead though nobody told us. Start afresh.
      this.#o.onFailure('CLOCK_JUMP');
      return;
    }
    if (mono - this.#lastReceivedMono > this.#heartbeatMs * 2 + tickMs) {
      this.#o.onFailure('HEARTBEAT_TIMEOUT');
      return;
    }
    this.#sincePingMs += monoDelta;
    if (this.#sincePingMs >= this.#heartbeatMs) {
      this.#sincePingMs = 0;
      this.#o.sendPing(wall);
    }
    this.#arm();
  }
}

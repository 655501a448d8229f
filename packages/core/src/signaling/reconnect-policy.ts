/**
 * Reconnect policy (INFR-05) as a pure function: given what happened, how long to wait before
 * the next attempt, or null for "stop, this will not get better by retrying".
 *
 * Exponential backoff with full jitter between a 1 s floor and a ceiling that doubles with each
 * failed attempt up to 60 s: attempt 0 waits 1–2 s, attempt 1 waits 1–4 s, … attempt 5 and
 * later wait 1–60 s. Full jitter spreads a crowd of clients that lost the same server across the
 * whole window instead of bringing them back in one wave.
 */
export interface ReconnectPolicyOptions {
  minDelayMs: number;
  maxDelayMs: number;
  /** Largest jitter added to the very first connect after launch. */
  firstConnectJitterMs: number;
  /** A connection that stayed up this long resets the attempt counter. */
  stableAfterMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicyOptions = {
  minDelayMs: 1_000,
  maxDelayMs: 60_000,
  firstConnectJitterMs: 250,
  stableAfterMs: 15_000,
};

export interface ReconnectContext {
  /** Failed attempts since the last stable connection (0 for the first retry). */
  attempt: number;
  /** True when the last close was fatal: retrying cannot help (bad auth, connected elsewhere). */
  fatal: boolean;
  /** Injected random source in [0, 1). */
  random: () => number;
}

export function nextReconnectDelay(
  ctx: ReconnectContext,
  options: ReconnectPolicyOptions = DEFAULT_RECONNECT_POLICY,
): number | null {
  if (ctx.fatal) return null;
  const exponent = Math.min(Math.max(ctx.attempt, 0) + 1, 30);
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** exponent);
  return Math.round(options.minDelayMs + clampUnit(ctx.random()) * (ceiling - options.minDelayMs));
}

/**
 * The wait a busy server asked for (close 4529 `SERVER_BUSY`, PROTOCOL.md §5.9), held within the
 * policy's bounds. Such a close is not a failure: the caller does not count it as an attempt,
 * so a client turned away in a storm comes back when told, not at a growing backoff.
 */
export function busyRetryDelay(serverDelayMs: number, options: ReconnectPolicyOptions = DEFAULT_RECONNECT_POLICY): number {
  if (!Number.isFinite(serverDelayMs)) return options.maxDelayMs;
  return Math.round(Math.min(options.maxDelayMs, Math.max(options.minDelayMs, serverDelayMs)));
}

/** A small random delay before the first connect, so a fleet started together is spread out. */
export function firstConnectDelay(random: () => number, options: ReconnectPolicyOptions = DEFAULT_RECONNECT_POLICY): number {
  return Math.round(clampUnit(random()) * options.firstConnectJitterMs);
}

/** Whether a connection that lasted `connectedForMs` resets the attempt counter. */
export function isStableConnection(connectedForMs: number, options: ReconnectPolicyOptions = DEFAULT_RECONNECT_POLICY): boolean {
  return connectedForMs >= options.stableAfterMs;
}

function clampUnit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 : x;
}

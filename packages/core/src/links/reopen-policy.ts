/**
 * When to reopen a link that dropped unexpectedly while both sides are online (P2P-01), as a
 * pure function: exponential backoff with jitter (half fixed, half random), or null to stop.
 * attempt 0 waits 0.5–1 × min, each later attempt doubles the ceiling up to max.
 */
export interface ReopenContext {
  /** Reopen attempts since the link was last open (0 for the first). */
  attempt: number;
  random: () => number;
  minDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export function nextReopenDelay(ctx: ReopenContext): number | null {
  if (ctx.attempt >= ctx.maxAttempts) return null;
  const ceiling = Math.min(ctx.maxDelayMs, ctx.minDelayMs * 2 ** Math.min(ctx.attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * ctx.random());
}

/**
 * Glare (both sides offered at once): the offer of the side with the smaller public key wins,
 * so both sides, looking at the same two keys, agree on which set-up survives.
 */
export function localOfferWins(localKeyHex: string, peerKeyHex: string): boolean {
  return localKeyHex.toLowerCase() < peerKeyHex.toLowerCase();
}

import { REQUEST_LIMITS } from '@discordopus/protocol';

export type RequestReplayVerdict = { ok: true } | { ok: false; code: 'STALE' | 'REPLAYED' };

/**
 * Single use for contact requests (CONT-06): a request is accepted only within the freshness
 * window of this side's clock, and only once per (sender, request id). Ids are remembered until
 * their request leaves the window (after that it is STALE anyway), at most `maxEntries`; when
 * full, the one dated earliest is dropped and its time becomes a floor below which everything is
 * REPLAYED, so forgetting never lets a replay through. The floor never passes `now - 1`: entries
 * dated ahead (up to the window) cannot push it into the future and refuse every honest request.
 */
export class RequestReplayGuard {
  readonly #clock: { now(): number };
  readonly #freshnessMs: number;
  readonly #maxEntries: number;
  /** `sender:id` → sent-at, in insertion order. */
  readonly #seen = new Map<string, number>();
  #floorMs = -Infinity;

  constructor(options: { clock: { now(): number }; freshnessMs?: number; maxEntries?: number }) {
    this.#clock = options.clock;
    this.#freshnessMs = options.freshnessMs ?? REQUEST_LIMITS.freshnessMs;
    this.#maxEntries = options.maxEntries ?? 4096;
  }

  admit(input: { sender: string; requestId: string; sentAtMs: number }): RequestReplayVerdict {
    const now = this.#clock.now();
    if (Math.abs(now - input.sentAtMs) > this.#freshnessMs) return { ok: false, code: 'STALE' };
    this.#forgetStale(now);
    const key = `${input.sender}:${input.requestId}`;
    if (this.#seen.has(key) || input.sentAtMs <= this.#floorMs) return { ok: false, code: 'REPLAYED' };
    this.#seen.set(key, input.sentAtMs);
    if (this.#seen.size > this.#maxEntries) {
      let oldestKey = key;
      let oldestAt = Infinity;
      for (const [k, at] of this.#seen) {
        if (at < oldestAt) [oldestKey, oldestAt] = [k, at];
      }
      this.#seen.delete(oldestKey);
      this.#floorMs = Math.max(this.#floorMs, Math.min(oldestAt, now - 1));
    }
    return { ok: true };
  }

  #forgetStale(now: number): void {
    for (const [key, sentAt] of this.#seen) {
      if (now - sentAt <= this.#freshnessMs) continue;
      this.#seen.delete(key);
    }
  }
}

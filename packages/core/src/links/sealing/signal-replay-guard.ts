import { PEER_LIMITS } from '@discordopus/protocol';

export interface SignalReplayGuardOptions {
  clock: { now(): number };
  /** How far `sentAtMs` may be from the clock, either way (default PEER_LIMITS.signalFreshnessMs). */
  freshnessMs?: number;
  /** (sender, link) pairs remembered at most (default 4096). */
  maxEntries?: number;
}

export interface ReplayCheck {
  /** The sender's public key, hex. */
  sender: string;
  linkId: string;
  seq: number;
  sentAtMs: number;
}

export type ReplayVerdict = { ok: true } | { ok: false; code: 'STALE' | 'REPLAYED' };

interface Entry {
  seq: number;
  /** The newest `sentAtMs` accepted for this pair. */
  sentAtMs: number;
}

/**
 * Refuses a set-up message that is stale or not newer than the last one accepted for the same
 * (sender, link id) — replayed and reordered messages alike (P2P-04).
 *
 * Memory is bounded: pairs whose newest message has left the freshness window are forgotten
 * (anything older would be refused as stale anyway). When the table is still full, the least
 * recently used pair is evicted and its newest `sentAtMs` raises a floor: a message for a pair
 * the guard does not know is refused as REPLAYED unless it is newer than that floor, so an
 * eviction never re-opens a window for a replay. The cost is that under such a flood a new link
 * whose sender's clock is behind may be refused for up to one freshness window.
 */
export class SignalReplayGuard {
  readonly #clock: { now(): number };
  readonly #freshnessMs: number;
  readonly #maxEntries: number;
  /** Insertion order = least recently used first. */
  readonly #entries = new Map<string, Entry>();
  #floorMs = -Infinity;

  constructor(options: SignalReplayGuardOptions) {
    this.#clock = options.clock;
    this.#freshnessMs = options.freshnessMs ?? PEER_LIMITS.signalFreshnessMs;
    this.#maxEntries = options.maxEntries ?? 4096;
    if (!(this.#maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');
  }

  /** Check one message and, when it passes, remember it. Call only after its signature verified. */
  admit(message: ReplayCheck): ReplayVerdict {
    const now = this.#clock.now();
    if (Math.abs(now - message.sentAtMs) > this.#freshnessMs) return { ok: false, code: 'STALE' };
    const key = `${message.sender}/${message.linkId}`;
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      if (message.sentAtMs <= this.#floorMs) return { ok: false, code: 'REPLAYED' };
    } else if (message.seq <= entry.seq) {
      return { ok: false, code: 'REPLAYED' };
    }
    this.#entries.delete(key);
    this.#entries.set(key, { seq: message.seq, sentAtMs: Math.max(message.sentAtMs, entry?.sentAtMs ?? -Infinity) });
    this.#trim(now);
    return { ok: true };
  }

  /** Pairs remembered now. */
  get size(): number {
    return this.#entries.size;
  }

  #trim(now: number): void {
    if (this.#entries.size <= this.#maxEntries) return;
    for (const [key, entry] of this.#entries) {
      if (entry.sentAtMs < now - this.#freshnessMs) this.#entries.delete(key);
    }
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest[0]);
      this.#floorMs = Math.max(this.#floorMs, oldest[1].sentAtMs);
    }
  }
}

import { PEER_LIMITS } from '@discordopus/protocol';

export interface SignalReplayGuardOptions {
  clock: { now(): number };
  /** How far `sentAtMs` may be from the clock, either way (default PEER_LIMITS.signalFreshnessMs). */
  freshnessMs?: number;
  /** Senders remembered at most (default 4096). */
  maxSenders?: number;
  /** Link ids remembered per sender at most (default 64: far more set-ups than one contact makes in a freshness window). */
  maxLinksPerSender?: number;
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

interface SenderState {
  /** Insertion order = least recently used first. */
  links: Map<string, Entry>;
  /** The newest `sentAtMs` of a link id evicted while still fresh: unknown link ids must be newer. */
  floorMs: number;
  /** The newest `sentAtMs` accepted from this sender (for forgetting it once it is stale). */
  newestMs: number;
}

/**
 * Refuses a set-up message that is stale or not newer than the last one accepted for the same
 * (sender, link id) — replayed and reordered messages alike (P2P-04).
 *
 * Memory is bounded per sender and in senders, and one sender can only ever hurt itself: each
 * sender has its own table of link ids and its own floor. When a sender's table is full, its
 * least recently used link id is evicted and that entry's newest `sentAtMs` raises the
 * sender's floor: a message for a link id the guard does not know is refused as REPLAYED unless
 * it is newer than the floor, so an eviction never re-opens a window for a replay. A contact
 * that floods random link ids (even dated in the future) raises only its own floor, never
 * another contact's (found in review: a global floor let one contact block everyone's links).
 * Senders whose newest message left the freshness window are forgotten first; only if more
 * than `maxSenders` senders are fresh at once is the least recently used one evicted, raising
 * the floor for senders the guard does not know.
 */
export class SignalReplayGuard {
  readonly #clock: { now(): number };
  readonly #freshnessMs: number;
  readonly #maxSenders: number;
  readonly #maxLinksPerSender: number;
  /** Insertion order = least recently used first. */
  readonly #senders = new Map<string, SenderState>();
  #unknownSenderFloorMs = -Infinity;

  constructor(options: SignalReplayGuardOptions) {
    this.#clock = options.clock;
    this.#freshnessMs = options.freshnessMs ?? PEER_LIMITS.signalFreshnessMs;
    this.#maxSenders = options.maxSenders ?? 4096;
    this.#maxLinksPerSender = options.maxLinksPerSender ?? 64;
    if (!(this.#maxSenders >= 1) || !(this.#maxLinksPerSender >= 1)) throw new RangeError('the guard must remember at least one sender and one link');
  }

  /** Check one message and, when it passes, remember it. Call only after its signature verified. */
  admit(message: ReplayCheck): ReplayVerdict {
    const now = this.#clock.now();
    if (Math.abs(now - message.sentAtMs) > this.#freshnessMs) return { ok: false, code: 'STALE' };
    const sender = this.#senders.get(message.sender);
    const entry = sender?.links.get(message.linkId);
    if (entry === undefined) {
      const floor = sender?.floorMs ?? this.#unknownSenderFloorMs;
      if (message.sentAtMs <= floor) return { ok: false, code: 'REPLAYED' };
    } else if (message.seq <= entry.seq) {
      return { ok: false, code: 'REPLAYED' };
    }
    const state = sender ?? { links: new Map<string, Entry>(), floorMs: this.#unknownSenderFloorMs, newestMs: -Infinity };
    state.links.delete(message.linkId);
    state.links.set(message.linkId, { seq: message.seq, sentAtMs: Math.max(message.sentAtMs, entry?.sentAtMs ?? -Infinity) });
    state.newestMs = Math.max(state.newestMs, message.sentAtMs);
    this.#trimLinks(state, now);
    this.#senders.delete(message.sender);
    this.#senders.set(message.sender, state);
    this.#trimSenders(now);
    return { ok: true };
  }

  /** (sender, link) pairs remembered now. */
  get size(): number {
    let n = 0;
    for (const state of this.#senders.values()) n += state.links.size;
    return n;
  }

  #trimLinks(state: SenderState, now: number): void {
    if (state.links.size <= this.#maxLinksPerSender) return;
    for (const [linkId, entry] of state.links) {
      if (entry.sentAtMs < now - this.#freshnessMs) state.links.delete(linkId);
    }
    while (state.links.size > this.#maxLinksPerSender) {
      const oldest = state.links.entries().next().value;
      if (oldest === undefined) break;
      state.links.delete(oldest[0]);
      state.floorMs = Math.max(state.floorMs, oldest[1].sentAtMs);
    }
  }

  #trimSenders(now: number): void {
    if (this.#senders.size <= this.#maxSenders) return;
    for (const [key, state] of this.#senders) {
      if (state.newestMs < now - this.#freshnessMs) this.#senders.delete(key);
    }
    while (this.#senders.size > this.#maxSenders) {
      const oldest = this.#senders.entries().next().value;
      if (oldest === undefined) break;
      this.#senders.delete(oldest[0]);
      this.#unknownSenderFloorMs = Math.max(this.#unknownSenderFloorMs, oldest[1].newestMs, oldest[1].floorMs);
    }
  }
}

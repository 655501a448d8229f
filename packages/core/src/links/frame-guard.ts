import type { LinkErrorCode } from '@discordopus/protocol';

export interface FrameGuardOptions {
  framesPerSecond: number;
  frameBurst: number;
  maxOffences: number;
  maxRateOffences: number;
  /** Monotonic milliseconds. */
  now: () => number;
}

/** What to do with one offending frame: answer it (with `link.error`), or close the link. */
export type Offence = { action: 'answer'; code: LinkErrorCode } | { action: 'drop' } | { action: 'close'; reason: 'protocol-error' | 'rate-limited' };

/**
 * The per-link defence against a misbehaving peer (P2P-01): a token bucket for the frame rate
 * and counters of offences. An offence is answered with `link.error` a few times, then only
 * dropped; past the limit the link (and only the link) is closed.
 */
export class FrameGuard {
  readonly #opts: FrameGuardOptions;
  #tokens: number;
  #at: number;
  offences = 0;
  rateOffences = 0;
  /** Frames dropped for any reason, for the link's statistics. */
  dropped = 0;

  constructor(options: FrameGuardOptions) {
    this.#opts = options;
    this.#tokens = options.frameBurst;
    this.#at = options.now();
  }

  /** Take one token; false when the peer is over its budget. */
  admit(): boolean {
    const now = this.#opts.now();
    this.#tokens = Math.min(this.#opts.frameBurst, this.#tokens + ((now - this.#at) / 1000) * this.#opts.framesPerSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** A malformed, oversized or unexpected frame. */
  offence(code: LinkErrorCode): Offence {
    this.dropped += 1;
    this.offences += 1;
    if (this.offences >= this.#opts.maxOffences) return { action: 'close', reason: 'protocol-error' };
    return this.offences <= 3 ? { action: 'answer', code } : { action: 'drop' };
  }

  /** A frame over the rate budget. */
  overRate(): Offence {
    this.dropped += 1;
    this.rateOffences += 1;
    if (this.rateOffences >= this.#opts.maxRateOffences) return { action: 'close', reason: 'rate-limited' };
    return this.rateOffences === 1 ? { action: 'answer', code: 'RATE_LIMITED' } : { action: 'drop' };
  }
}

import { TokenBucket } from './token-bucket';

/**
 * Token buckets kept per public key rather than per socket (relay, presence and contact
 * requests; PROTOCOL.md §5.10): a key that reconnects gets its old bucket back, so closing and
 * reopening sockets does not refill it.
 *
 * Memory stays bounded: `sweep()` forgets buckets that have refilled to the full burst (an
 * idle key is indistinguishable from a new one, so forgetting it changes nothing), so only
 * keys that spent tokens within the last burst / rate are held.
 */
export class KeyBudgets {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(options: { perSecond: number; burst: number; now: () => number }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#now = options.now;
  }

  /** Take one token from `key`'s bucket; false when its budget is spent. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#perSecond, this.#burst, this.#now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** Forget every bucket that is full again. */
  sweep(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
  }

  get size(): number {
    return this.#buckets.size;
  }
}

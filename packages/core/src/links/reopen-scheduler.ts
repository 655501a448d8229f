import type { Clock } from '../signaling/clock';
import type { LinkTunables } from './link-options';
import { nextReopenDelay } from './reopen-policy';

export interface ReopenSchedulerOptions {
  clock: Clock;
  /** Uniform in [0, 1): the backoff's jitter. */
  random: () => number;
  tunables: Pick<LinkTunables, 'reopenMinDelayMs' | 'reopenMaxDelayMs' | 'maxReopenAttempts'>;
  /** Whether a reopen may start for this contact now (no link yet, the user not invisible). */
  mayReopen(peer: string): boolean;
  /** Whether the contact is online (else the attempt waits for `contactOnline`). */
  isOnline(peer: string): boolean;
  /** Start a new set-up to the contact; false if the engine could not. */
  startOffer(peer: string): boolean;
}

/**
 * The reopen bookkeeping of the link manager (P2P-01): which contacts the app wants a link to,
 * and, for a wanted link that dropped unexpectedly, the backoff timer and attempt count
 * (reopen-policy.ts) until it is open again, the contact comes back online, or it is given up.
 */
export class ReopenScheduler {
  readonly #o: ReopenSchedulerOptions;
  /** Contacts the app asked a link for and did not let go idle: reopened after a drop. */
  readonly #wanted = new Set<string>();
  /** Per contact: attempts made since the link was last open, and the pending timer (null: none). */
  readonly #pending = new Map<string, { attempt: number; timer: unknown }>();

  constructor(options: ReopenSchedulerOptions) {
    this.#o = options;
  }

  /** The app wants a link to this contact (it is reopened if it drops). */
  want(peer: string): void {
    this.#wanted.add(peer);
  }

  /** No longer wanted; a pending attempt count is kept but never used. */
  unwant(peer: string): void {
    this.#wanted.delete(peer);
  }

  /** Not wanted, nothing pending. */
  forget(peer: string): void {
    this.#wanted.delete(peer);
    this.cancel(peer);
  }

  /** Forget every contact (lock, shutdown, going invisible). */
  clear(): void {
    this.#wanted.clear();
    for (const peer of [...this.#pending.keys()]) this.cancel(peer);
  }

  /** Cancel a pending reopen (a new set-up is under way). */
  cancel(peer: string): void {
    const pending = this.#pending.get(peer);
    if (pending?.timer != null) this.#o.clock.clearTimeout(pending.timer);
    this.#pending.delete(peer);
  }

  /** The link opened: the attempt count starts again. */
  opened(peer: string): void {
    this.#pending.delete(peer);
  }

  /** A wanted link dropped unexpectedly: try again after the backoff, or give up. */
  dropped(peer: string): void {
    if (!this.#wanted.has(peer) || !this.#o.mayReopen(peer)) return;
    const attempt = this.#pending.get(peer)?.attempt ?? 0;
    const { tunables } = this.#o;
    const delay = nextReopenDelay({
      attempt,
      random: this.#o.random,
      minDelayMs: tunables.reopenMinDelayMs,
      maxDelayMs: tunables.reopenMaxDelayMs,
      maxAttempts: tunables.maxReopenAttempts,
    });
    if (delay === null) {
      this.#pending.delete(peer);
      this.#wanted.delete(peer);
      return;
    }
    const timer = this.#o.clock.setTimeout(() => {
      if (this.#pending.get(peer)?.timer !== timer) return;
      this.#pending.delete(peer);
      this.#reopenNow(peer, attempt + 1);
    }, delay);
    this.#pending.set(peer, { attempt, timer });
  }

  /** The contact came (back) online: a pending reopen starts now. */
  contactOnline(peer: string): void {
    const pending = this.#pending.get(peer);
    if (!pending || !this.#o.mayReopen(peer)) return;
    this.cancel(peer);
    this.#reopenNow(peer, pending.attempt);
  }

  #reopenNow(peer: string, attempt: number): void {
    if (!this.#wanted.has(peer) || !this.#o.mayReopen(peer)) return;
    if (!this.#o.isOnline(peer)) {
      // Not online now: keep the attempt count and wait for contactOnline or the next try.
      this.#pending.set(peer, { attempt, timer: null });
      return;
    }
    // Count this attempt: if it fails, the next delay is longer.
    if (this.#o.startOffer(peer)) this.#pending.set(peer, { attempt, timer: null });
  }
}

import type { Clock } from '../signaling/clock';

/**
 * MSG-01 typing indicators, in memory only. Outgoing: at most one "typing" per interval while
 * the user types, one "stopped" when they stop. Incoming: "typing" expires by itself after the
 * time to live unless renewed.
 */
export class TypingTracker {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #intervalMs: number;
  readonly #onChange: (peer: string, typing: boolean) => void;
  readonly #incoming = new Map<string, unknown>();
  readonly #lastSent = new Map<string, number>();

  constructor(options: { clock: Clock; ttlMs: number; intervalMs: number; onChange: (peer: string, typing: boolean) => void }) {
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs;
    this.#intervalMs = options.intervalMs;
    this.#onChange = options.onChange;
  }

  /** Whether to send a typing frame now for the user's `typing` state, and which value. */
  outgoing(peer: string, typing: boolean): boolean | null {
    const last = this.#lastSent.get(peer);
    if (typing) {
      if (last !== undefined && this.#clock.monotonic() - last < this.#intervalMs) return null;
      this.#lastSent.set(peer, this.#clock.monotonic());
      return true;
    }
    if (last === undefined) return null;
    this.#lastSent.delete(peer);
    return false;
  }

  /** The user sent a message: the receiver clears the indicator by itself. */
  sent(peer: string): void {
    this.#lastSent.delete(peer);
  }

  /** The peer says it is (not) typing. */
  incoming(peer: string, typing: boolean): void {
    const timer = this.#incoming.get(peer);
    if (timer !== undefined) this.#clock.clearTimeout(timer);
    if (!typing) {
      this.#incoming.delete(peer);
      if (timer !== undefined) this.#onChange(peer, false);
      return;
    }
    this.#incoming.set(
      peer,
      this.#clock.setTimeout(() => {
        this.#incoming.delete(peer);
        this.#onChange(peer, false);
      }, this.#ttlMs),
    );
    if (timer === undefined) this.#onChange(peer, true);
  }

  /** A message from the peer arrived, or the link closed: it is no longer typing. */
  clear(peer: string): void {
    this.incoming(peer, false);
    this.#lastSent.delete(peer);
  }

  close(): void {
    for (const timer of this.#incoming.values()) this.#clock.clearTimeout(timer);
    this.#incoming.clear();
    this.#lastSent.clear();
  }
}

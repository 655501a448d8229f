/**
 * Back-pressure on one link's channel: `send()` refuses an application frame while the channel
 * holds `maxBytes` not yet sent, and the link reports `drained` once the engine says the buffer
 * fell to its low threshold after such a refusal — so a sender (the message outbox) waits for an
 * event instead of polling, and never queues without bound.
 */
export interface BackPressureOptions {
  /** Bytes queued in the channel now. */
  buffered: () => number;
  maxBytes: () => number;
  lowBytes: () => number;
  onDrained: () => void;
}

export class BackPressure {
  readonly #o: BackPressureOptions;
  /** A send was refused and `drained` has not been reported since. */
  #refused = false;

  constructor(options: BackPressureOptions) {
    this.#o = options;
  }

  /** Whether a frame may be handed to the channel now; a refusal is remembered. */
  admit(): boolean {
    if (this.#o.buffered() < this.#o.maxBytes()) return true;
    this.#refused = true;
    return false;
  }

  /** A frame was refused for another reason of the same kind (the set-up queue is full). */
  refused(): void {
    this.#refused = true;
  }

  /** The engine reports the buffer at or below the low threshold. */
  low(): void {
    if (!this.#refused) return;
    this.#refused = false;
    this.#o.onDrained();
  }

  /** The link opened and flushed its queue: a refusal made while connecting is answered now if there is room. */
  opened(): void {
    if (this.#refused && this.#o.buffered() <= this.#o.lowBytes()) this.low();
  }
}

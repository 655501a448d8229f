import type { OwnStatus } from '@discordopus/protocol';
import type { Clock } from '../signaling/clock';
import type { LinkIntent } from './link-events';

/**
 * Invisible stays invisible through links (PRES-03 with P2P-01): while the user's own status is
 * invisible, only what the user asks for (intent 'user') may reveal them to a contact — a link
 * they open, or an offer from a contact they asked a link to within the window. Everything
 * automatic (an outbox, a reopen, an unasked offer) waits or is dropped unanswered.
 */
export class OwnVisibility {
  readonly #clock: Clock;
  readonly #windowMs: () => number;
  #invisible = false;
  /** Per contact, when (monotonic) the user last asked for a link to it while invisible. */
  readonly #userAskedAt = new Map<string, number>();

  constructor(options: { clock: Clock; userIntentWindowMs: () => number }) {
    this.#clock = options.clock;
    this.#windowMs = options.userIntentWindowMs;
  }

  get invisible(): boolean {
    return this.#invisible;
  }

  /** The user's status changed; true when it just became invisible. */
  statusChanged(status: OwnStatus): boolean {
    const invisible = status === 'invisible';
    const became = invisible && !this.#invisible;
    this.#invisible = invisible;
    // Asks made while visible say nothing about wanting to be found while invisible (review finding 5).
    if (became) this.#userAskedAt.clear();
    return became;
  }

  /** Whether a new link may be set up for this intent now (and remember a user's request). */
  mayOpen(peer: string, intent: LinkIntent): boolean {
    if (intent === 'user') {
      if (this.#invisible) this.#userAskedAt.set(peer, this.#clock.monotonic());
      return true;
    }
    return !this.#invisible;
  }

  /** Whether an offer from this contact may be answered now. */
  mayAnswer(peer: string): boolean {
    if (!this.#invisible) return true;
    const at = this.#userAskedAt.get(peer);
    return at !== undefined && this.#clock.monotonic() - at <= this.#windowMs();
  }

  forget(peer: string): void {
    this.#userAskedAt.delete(peer);
  }
}

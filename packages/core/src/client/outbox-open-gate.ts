import type { LinkCloseReason } from '@discordopus/protocol';

/**
 * Close reasons after which the outbox never reopens a link by itself (review finding 4): the
 * contact's side or our own policy said no, and asking again every few seconds would only spend
 * relay budget, repeat a security warning or hand an attacker a fresh set-up. They hold until the
 * user acts (a send, an edit, or opening the link) or a link to the contact opens anyway.
 */
export const HOLDING_CLOSE_REASONS: ReadonlySet<LinkCloseReason> = new Set(['auth-failed', 'relay-required', 'refused', 'contact-removed']);

/** Why automatic opens for a contact are held; `security`: only opening the link (the warning dismissed) lifts it. */
export interface OutboxHold {
  reason: LinkCloseReason | 'security-warning';
  security: boolean;
}

/**
 * Per contact, whether the outbox may ask for a link now (intent 'auto'), as plain state fed by
 * the message wiring (MSG-02, P2P-02):
 *  - a hold after a close for a reason in HOLDING_CLOSE_REASONS or a security warning;
 *  - an exponential back-off over consecutive automatic attempts that did not end in an open
 *    link: the n-th waits baseMs × 2^n, at most maxMs.
 * An open link clears both. A user's change lifts a hold that is not about security; only the
 * user opening the link (which the app does once the warning was dismissed) lifts that one.
 */
export class OutboxOpenGate {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #holds = new Map<string, OutboxHold>();
  readonly #backoff = new Map<string, { attempts: number; notBefore: number }>();

  constructor(options: { baseMs: number; maxMs: number }) {
    this.#baseMs = options.baseMs;
    this.#maxMs = options.maxMs;
  }

  hold(peer: string): OutboxHold | null {
    return this.#holds.get(peer) ?? null;
  }

  /** A link to the contact closed: remember a reason that holds automatic opens. */
  linkClosed(peer: string, reason: LinkCloseReason | null): void {
    if (reason === null || !HOLDING_CLOSE_REASONS.has(reason)) return;
    const security = reason === 'auth-failed' || this.#holds.get(peer)?.security === true;
    this.#holds.set(peer, { reason: security ? 'auth-failed' : reason, security });
  }

  securityWarning(peer: string): void {
    this.#holds.set(peer, { reason: 'security-warning', security: true });
  }

  /** A link to the contact opened: whatever held it is over. */
  linkOpened(peer: string): void {
    this.#holds.delete(peer);
    this.#backoff.delete(peer);
  }

  /** The user changed something for this contact: true when a link may be asked for with intent 'user'. */
  userChanged(peer: string): boolean {
    const hold = this.#holds.get(peer);
    if (hold?.security === true) return false;
    this.#holds.delete(peer);
    this.#backoff.delete(peer);
    return true;
  }

  /** The user asked for the link itself (after dismissing any warning): every hold lifts. */
  userOpened(peer: string): void {
    this.#holds.delete(peer);
    this.#backoff.delete(peer);
  }

  /** Whether an automatic open may be tried at `now` (monotonic ms); if so it is counted. */
  tryAuto(peer: string, now: number): boolean {
    if (this.#holds.has(peer)) return false;
    const last = this.#backoff.get(peer);
    if (last !== undefined && now < last.notBefore) return false;
    const attempts = (last?.attempts ?? 0) + 1;
    const delay = Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(attempts - 1, 30));
    this.#backoff.set(peer, { attempts, notBefore: now + delay });
    return true;
  }

  /** The contact went offline: the back-off starts over when it comes back (a hold stays). */
  contactGone(peer: string): void {
    this.#backoff.delete(peer);
  }

  forget(peer: string): void {
    this.#holds.delete(peer);
    this.#backoff.delete(peer);
  }
}

export interface LoginAdmissionOptions {
  /** Logins in progress (sockets upgraded, not yet logged in) at once; 0 turns admission off. */
  maxPending: number;
  /** Logins per second assumed until the node has measured its own rate while saturated. */
  initialRatePerSecond: number;
  /** Shortest and longest delay a refused client is told to wait (the clients' backoff bounds). */
  minRetryMs: number;
  maxRetryMs: number;
  now: () => number;
  random: () => number;
}

/** Length of one measuring window of the accept rate. */
const WINDOW_MS = 500;
/** Appointments fill this share of the measured rate, leaving room for clients not yet refused. */
const FILL = 0.9;

/**
 * Admission control for logins (INFR-05, PROTOCOL.md §5.9): a node lets in only as many logins
 * at once as it can finish well within the auth deadline; one more is refused before any work is
 * spent on it (no nonce, no timer, no session) with `SERVER_BUSY` and a delay to come back.
 *
 * The delays are appointments handed out in order, spaced by the node's accept rate: the n-th
 * client refused in a storm is told to come back about n / rate seconds later (at least
 * `minRetryMs`, at most `maxRetryMs`), so refused clients return at the pace the node can log
 * them in, instead of all at once and again and again. The rate is measured over 0.5 s windows
 * in which the node was saturated (a refusal happened), so a quiet spell does not lower it.
 */
export class LoginAdmission {
  readonly #o: LoginAdmissionOptions;
  #pending = 0;
  #ratePerSecond: number;
  #measured = false;
  #nextSlotAt = 0;
  #windowStart: number;
  #windowLogins = 0;
  #windowBusy = false;

  constructor(options: LoginAdmissionOptions) {
    this.#o = options;
    this.#ratePerSecond = options.initialRatePerSecond;
    this.#windowStart = options.now();
  }

  /** Logins in progress. */
  get pending(): number {
    return this.#pending;
  }

  /** The accept rate the delays are spread by, in logins per second. */
  get ratePerSecond(): number {
    return this.#ratePerSecond;
  }

  /**
   * A socket wants to log in: null lets it in (it counts as pending until `settle`), a number
   * is the delay in milliseconds to tell the refused client.
   */
  admit(): number | null {
    const now = this.#o.now();
    this.#roll(now);
    if (this.#o.maxPending === 0 || this.#pending < this.#o.maxPending) {
      this.#pending++;
      return null;
    }
    this.#windowBusy = true;
    const spacing = 1000 / (this.#ratePerSecond * FILL);
    this.#nextSlotAt = Math.max(this.#nextSlotAt, now + this.#o.minRetryMs);
    if (this.#nextSlotAt - now > this.#o.maxRetryMs) {
      // The book is full up to the longest delay a client accepts: rather than sending everyone
      // else to the same last second, spread them over the second half of the range; they come
      // back, are refused cheaply if still too early, and get a real appointment then.
      return Math.round(this.#o.maxRetryMs - this.#o.random() * (this.#o.maxRetryMs / 2));
    }
    const at = this.#nextSlotAt + this.#o.random() * spacing;
    this.#nextSlotAt += spacing;
    return Math.round(Math.min(this.#o.maxRetryMs, Math.max(this.#o.minRetryMs, at - now)));
  }

  /** An admitted socket logged in (`true`) or went away without (`false`). Once per `admit`. */
  settle(loggedIn: boolean): void {
    this.#pending = Math.max(0, this.#pending - 1);
    if (!loggedIn) return;
    this.#roll(this.#o.now());
    this.#windowLogins++;
  }

  #roll(now: number): void {
    const elapsed = now - this.#windowStart;
    if (elapsed < WINDOW_MS) return;
    if (this.#windowBusy && this.#windowLogins > 0) {
      const measured = (this.#windowLogins * 1000) / elapsed;
      // Smoothed, so one slow window (a GC pause) does not stretch every appointment.
      this.#ratePerSecond = this.#measured ? 0.5 * this.#ratePerSecond + 0.5 * measured : measured;
      this.#measured = true;
    }
    this.#windowStart = now;
    this.#windowLogins = 0;
    this.#windowBusy = false;
  }
}

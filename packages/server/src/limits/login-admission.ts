export interface LoginAdmissionOptions {
  /** Logins in progress (sockets upgraded, not yet logged in) at once; 0 turns admission off. */
  maxPending: number;
  /**
   * Logins per second assumed until the node has measured its own capacity. Better too high
   * than too low: a client told to come back too early is refused again, cheaply, and gets a
   * later appointment; a node that sends its clients away for too long idles.
   */
  initialRatePerSecond: number;
  /** Shortest and longest delay a refused client is told to wait (the clients' backoff bounds). */
  minRetryMs: number;
  maxRetryMs: number;
  /**
   * A socket whose upgrade request waited longer than this inside the node (accepted, not yet
   * read) shows the node is behind: then fewer logins are let in at once, the longer the wait
   * the fewer (`maxPending` × `maxQueueDelayMs` / wait, at least 64). 0 turns the check off.
   */
  maxQueueDelayMs: number;
  now: () => number;
  random: () => number;
}

/** Length of one measuring window of the accept rate. */
const WINDOW_MS = 500;
/** Appointments fill this share of the measured rate, leaving room for clients not yet refused. */
const FILL = 0.9;
/**
 * A refusal costs the node about this share of a login's CPU (TCP accept, HTTP parse, the 101
 * and the close: 259 µs against 447 µs per login in bench:auth-rate's refusal step, 2026-11-29).
 */
const REFUSAL_COST = 0.5;
/** The capacity estimate grows by this factor per window in which the node idled with appointments outstanding, */
const IDLE_GROWTH = 1.25;
/** up to this multiple of the highest rate it has measured or assumed. */
const GROWTH_CEILING = 2;
/**
 * While behind, the cap on logins in progress shrinks in proportion: a request that waited k
 * times `maxQueueDelayMs` lets in at most `maxPending` / k at once, never fewer than this. A
 * fixed small cap starved the node when its clients were slow to answer (bench:storm on a busy
 * machine: 64 in progress, each waiting seconds for its client's proof); the floor keeps a node
 * stalled for a moment (GC, a busy machine) with a few clients from refusing any of them.
 */
const BEHIND_PENDING_FLOOR = 64;

/**
 * Admission control for logins (INFR-05, PROTOCOL.md §5.9): a node lets in only as many logins
 * at once as it can finish well within the auth deadline; one more is refused before any work is
 * spent on it (no nonce, no timer, no session) with `SERVER_BUSY` and a delay to come back.
 *
 * The delays are appointments handed out in order, spaced by the node's login capacity: the n-th
 * client refused in a storm is told to come back about n / capacity seconds later (at least
 * `minRetryMs`, at most `maxRetryMs`), so refused clients return at the pace the node can log
 * them in, instead of all at once and again and again.
 *
 * The capacity is measured in 0.5 s windows in which the node was saturated (it refused some):
 * the logins it completed plus the work of the refusals, each counted as `REFUSAL_COST` of a
 * login, per second. In the first wave of a storm the node spends most of its time refusing;
 * counting only its logins then said how fast it logs in while refusing thousands a second, not
 * how fast it will once the crowd has its appointments (spreading by that sent clients away for
 * 40 s while the node idled: bench/RESULTS.md). Until a window is measured, the delays are spread
 * by `initialRatePerSecond`; a window in which the node had room while clients were still
 * waiting for their appointments raises the estimate, since it could have taken them sooner.
 *
 * The count of pending logins does not see the sockets the node has accepted but not yet read:
 * in a storm those are thousands, and every admitted client's proof waits behind them, past its
 * own timeout (bench:storm: thousands of "Opening handshake has timed out"). So the caller also
 * says how long each upgrade request waited inside the node; past `maxQueueDelayMs` the node is
 * behind: the further behind, the fewer it lets in at once (`maxPending` × `maxQueueDelayMs` /
 * the wait, at least `BEHIND_PENDING_FLOOR`), and it refuses the other newcomers (a refusal
 * costs half a login, and books the client a later appointment) until it has caught up. The
 * measured rate already says how little the node gets done while behind; shrinking it further
 * only left the node idle later (the model in login-admission-storm.test.ts: 74 s instead of 48 s).
 */
export class LoginAdmission {
  readonly #o: LoginAdmissionOptions;
  #pending = 0;
  #ratePerSecond: number;
  #measured = false;
  #highest: number;
  #nextSlotAt = 0;
  #windowStart: number;
  #windowLogins = 0;
  #windowRefusals = 0;
  #windowFull = false;

  constructor(options: LoginAdmissionOptions) {
    this.#o = options;
    this.#ratePerSecond = options.initialRatePerSecond;
    this.#highest = options.initialRatePerSecond;
    this.#windowStart = options.now();
  }

  /** Logins in progress. */
  get pending(): number {
    return this.#pending;
  }

  /** Whether `admit` reads how long a request waited in the node (admission and its queue check on). */
  get readsQueueDelay(): boolean {
    return this.#o.maxPending > 0 && this.#o.maxQueueDelayMs > 0;
  }

  /** The login capacity the delays are spread by, in logins per second. */
  get ratePerSecond(): number {
    return this.#ratePerSecond;
  }

  /**
   * A socket wants to log in: null lets it in (it counts as pending until `settle`), a number
   * is the delay in milliseconds to tell the refused client.
   */
  admit(queuedMs = 0): number | null {
    const now = this.#o.now();
    this.#roll(now);
    const behind = this.#o.maxQueueDelayMs > 0 && queuedMs > this.#o.maxQueueDelayMs;
    const cap = behind
      ? Math.min(this.#o.maxPending, Math.max(BEHIND_PENDING_FLOOR, Math.floor((this.#o.maxPending * this.#o.maxQueueDelayMs) / queuedMs)))
      : this.#o.maxPending;
    if (this.#o.maxPending === 0 || this.#pending < cap) {
      this.#pending++;
      if (this.#pending === this.#o.maxPending) this.#windowFull = true;
      return null;
    }
    this.#windowRefusals++;
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
    const logins = this.#windowLogins;
    const refusals = this.#windowRefusals;
    if (refusals > 0 && logins > 0) {
      const measured = ((logins + REFUSAL_COST * refusals) * 1000) / elapsed;
      // Smoothed, so one slow window (a GC pause) does not stretch every appointment.
      this.#ratePerSecond = this.#measured ? 0.5 * this.#ratePerSecond + 0.5 * measured : measured;
      this.#measured = true;
      this.#highest = Math.max(this.#highest, measured);
    } else if (refusals === 0 && !this.#windowFull && this.#nextSlotAt > this.#windowStart + WINDOW_MS) {
      // Room to spare the whole window while refused clients were still waiting their turn.
      this.#ratePerSecond = Math.min(this.#ratePerSecond * IDLE_GROWTH, GROWTH_CEILING * this.#highest);
    }
    this.#windowStart = now;
    this.#windowLogins = 0;
    this.#windowRefusals = 0;
    this.#windowFull = this.#pending >= this.#o.maxPending && this.#o.maxPending > 0;
  }
}

/**
 * Group commit of own changes (MSG-02, VAULT-03): changes asked for in the same turn of the event
 * loop (and those that arrive while a commit blocks it) are committed in ONE transaction, so one
 * fsync covers many messages; each caller is told only after that commit, so "shown as sent"
 * still means "committed". Durability is the vault's (synchronous=FULL stays as it is set).
 *
 * If the batch fails (one bad item rolls it back), each item is committed on its own, so only
 * the bad one fails with its own error.
 */
export class GroupCommit<I, O> {
  readonly #commitBatch: (items: I[]) => O[];
  readonly #commitOne: (item: I) => O;
  readonly #after: (done: O[]) => O[];
  readonly #schedule: (fn: () => void) => void;
  readonly #maxBatch: number;
  #pending: { item: I; resolve: (o: O) => void; reject: (err: unknown) => void }[] = [];
  #scheduled = false;

  constructor(options: {
    commitBatch: (items: I[]) => O[];
    commitOne: (item: I) => O;
    /** Runs after each commit (events, sending); what it returns is what the callers get. */
    after: (done: O[]) => O[];
    schedule: (fn: () => void) => void;
    maxBatch: number;
  }) {
    this.#commitBatch = options.commitBatch;
    this.#commitOne = options.commitOne;
    this.#after = options.after;
    this.#schedule = options.schedule;
    this.#maxBatch = Math.max(1, options.maxBatch);
  }

  get pending(): number {
    return this.#pending.length;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.#schedule(() => {
          this.#scheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Commit everything waiting now (also used on close). */
  flush(): void {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxBatch);
      let done: O[] | null = null;
      try {
        done = this.#commitBatch(batch.map((p) => p.item));
      } catch {
        done = null;
      }
      if (done !== null) {
        const told = this.#afterSafely(done);
        batch.forEach((p, i) => p.resolve(told[i]!));
        continue;
      }
      for (const p of batch) {
        try {
          const one = this.#commitOne(p.item);
          p.resolve(this.#afterSafely([one])[0]!);
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  /** Committed is committed: if what runs after fails, the callers still get what was stored. */
  #afterSafely(done: O[]): O[] {
    try {
      return this.#after(done);
    } catch {
      return done;
    }
  }
}

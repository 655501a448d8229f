import { base64urlToBytes, publicKeyProblem } from '@discordopus/protocol';

/**
 * The server's door for public keys (INFR-04, PROTOCOL.md §1): every key that enters — a login,
 * a contact list entry, a relay or contact-request target — goes through `usable()`, which
 * applies the protocol's one rule (`publicKeyProblem`: canonical, on the curve, not of small
 * order).
 *
 * The full check costs one field exponentiation (~0.1 ms), so keys found usable are remembered
 * (bounded, oldest forgotten first). Refused keys are not remembered: a frame carrying one is
 * refused anyway, and counts as malformed. Contact lists get the check without the curve test.
 */
export class PublicKeyGate {
  readonly #known = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  /** `key` is a wire key (canonical base64url of 32 bytes, as the schema guarantees). */
  usable(key: string): boolean {
    if (this.#known.has(key)) return true;
    let ok: boolean;
    try {
      ok = publicKeyProblem(base64urlToBytes(key)) === null;
    } catch {
      ok = false;
    }
    if (ok) this.#remember(key);
    return ok;
  }

  /**
   * The key rule for a login's claimed key, without the curve test: canonical and not of small
   * order (`without-curve`), or known. The curve test is left to the signature check that must
   * follow: node:crypto (OpenSSL) decodes the key's point before anything else and refuses every
   * signature under a key off the curve (`test/public-key-rule.test.ts` holds it to that). Call
   * `verified()` once the signature checked out. After a restart every login is a key the node
   * has not seen, and the curve test's ~0.1 ms each was a fifth of a login's CPU in a storm.
   */
  admissible(key: string): boolean {
    return this.#known.has(key) || this.firstUnusableContact([key]) === null;
  }

  /** `key` (admitted by `admissible`) verified a signature, so its point is on the curve: remember it as usable. */
  verified(key: string): void {
    this.#remember(key);
  }

  /** True when `key` was already found usable (a set lookup, no check): the relay's fast lane. */
  knows(key: string): boolean {
    return this.#known.has(key);
  }

  /**
   * The first key of a contact list that is non-canonical or of small order, or null. The
   * curve test is left out here (`without-curve`): at ~0.1 ms a key it would cost about 0.5 s
   * of CPU for a list of 5 000 new keys, and a key off the curve is inert in a contact list —
   * it can never pass a login, so it matches no one.
   */
  firstUnusableContact(keys: readonly string[]): string | null {
    for (const key of keys) {
      if (this.#known.has(key)) continue;
      let problem;
      try {
        problem = publicKeyProblem(base64urlToBytes(key), 'without-curve');
      } catch {
        problem = 'wrong_length';
      }
      if (problem !== null) return key;
    }
    return null;
  }

  get size(): number {
    return this.#known.size;
  }

  #remember(key: string): void {
    this.#known.add(key);
    if (this.#known.size <= this.#capacity) return;
    const oldest = this.#known.values().next();
    if (!oldest.done) this.#known.delete(oldest.value);
  }
}

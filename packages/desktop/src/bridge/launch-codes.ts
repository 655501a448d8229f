import type { BridgeSessionErrorCode } from '@discordopus/protocol/bridge';
import { createBridgeToken, tokensMatch } from './bridge-token';

export interface LaunchCodesOptions {
  /** Milliseconds since the epoch; injected so tests control expiry. */
  now?: () => number;
  /** Makes a fresh random secret (hex); injected for tests. */
  random?: () => string;
  /** Default lifetime of a code. */
  defaultTtlMs?: number;
  /** Codes remembered at once (used and expired ones included, so a reuse is told apart). */
  maxCodes?: number;
  /** Session secrets alive at once (one per window that redeemed a code). */
  maxSessions?: number;
}

export type RedeemResult = { ok: true; secret: string } | { ok: false; code: BridgeSessionErrorCode };

interface CodeRecord {
  code: string;
  expiresAt: number;
  used: boolean;
}

/** A window opened by the launcher has two minutes to ask for its session. */
export const DEFAULT_LAUNCH_CODE_TTL_MS = 2 * 60_000;

/**
 * One-time launch codes and the session secrets they are exchanged for (security model: local
 * bridge). A code may travel where a secret must not (a URL, a forwarding page): it works once
 * and expires; the secret it buys never appears in a URL and authorises the WebSocket.
 */
export class LaunchCodes {
  readonly #codes: CodeRecord[] = [];
  readonly #sessions: string[] = [];
  readonly #now: () => number;
  readonly #random: () => string;
  readonly #defaultTtlMs: number;
  readonly #maxCodes: number;
  readonly #maxSessions: number;

  constructor(options: LaunchCodesOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? createBridgeToken;
    this.#defaultTtlMs = options.defaultTtlMs ?? DEFAULT_LAUNCH_CODE_TTL_MS;
    this.#maxCodes = options.maxCodes ?? 64;
    this.#maxSessions = options.maxSessions ?? 32;
  }

  /** A new one-time code, valid for `ttlMs`. */
  issue(ttlMs: number = this.#defaultTtlMs): string {
    const code = this.#random();
    this.#codes.push({ code, expiresAt: this.#now() + ttlMs, used: false });
    if (this.#codes.length > this.#maxCodes) this.#codes.shift();
    return code;
  }

  /** Exchange a code for a new session secret; the code is spent whatever the outcome after a match. */
  redeem(presented: string): RedeemResult {
    const record = this.#codes.find((entry) => tokensMatch(presented, entry.code));
    if (record === undefined) return { ok: false, code: 'BRIDGE_CODE_UNKNOWN' };
    if (record.used) return { ok: false, code: 'BRIDGE_CODE_USED' };
    record.used = true;
    if (this.#now() >= record.expiresAt) return { ok: false, code: 'BRIDGE_CODE_EXPIRED' };
    const secret = this.#random();
    this.#sessions.push(secret);
    if (this.#sessions.length > this.#maxSessions) this.#sessions.shift();
    return { ok: true, secret };
  }

  /** Whether a presented secret belongs to a session (constant time per comparison). */
  isSession(presented: string): boolean {
    let found = false;
    for (const secret of this.#sessions) if (tokensMatch(presented, secret)) found = true;
    return found;
  }
}

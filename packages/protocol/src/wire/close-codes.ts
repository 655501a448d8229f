/**
 * WebSocket close codes used by DiscordOpus servers (CONVENTIONS 5). 1xxx are standard; 4xxx
 * are ours and mirror HTTP status numbers where one fits. The reason string is empty, except
 * for `SERVER_BUSY`, whose reason is the retry delay (`busyCloseReason`): codes carry no detail
 * an attacker could use.
 */
export const CLOSE_CODES = {
  /** Normal closure (client logged out). */
  NORMAL: 1000,
  /** Server shutting down or restarting: reconnect, possibly to another node. */
  GOING_AWAY: 1001,
  /** A frame above the server's `maxFrameBytes` (sent by the `ws` library itself). */
  MESSAGE_TOO_BIG: 1009,
  /** Unexpected server error. */
  INTERNAL_ERROR: 1011,
  /** Repeated malformed frames, or a message not allowed in the current state. */
  BAD_MESSAGE: 4400,
  /** The login proof was refused (any reason: nonce, timestamp, signature, key). Fatal. */
  AUTH_FAILED: 4401,
  /** No valid login proof before the auth deadline. */
  AUTH_TIMEOUT: 4408,
  /** The same key logged in on another socket, which took over. Fatal: do not retry blindly. */
  CONNECTED_ELSEWHERE: 4409,
  /** The client speaks a protocol version this server does not. Fatal. */
  UNSUPPORTED_VERSION: 4426,
  /** The client kept exceeding its rate limits. */
  RATE_LIMITED: 4429,
  /** The server is at its connection cap: try later or another node. */
  SERVER_FULL: 4503,
  /**
   * Admission control: the server has as many logins in progress as it can finish in time and
   * refused this one before it began. The reason is the delay to wait, in milliseconds
   * (`retryDelayFromBusyReason`); not a failure, the client's backoff does not grow.
   */
  SERVER_BUSY: 4529,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;
export type CloseCode = (typeof CLOSE_CODES)[CloseCodeName];

/** Codes after which a client must not reconnect on its own: it needs the user (or an update). */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set<number>([
  CLOSE_CODES.AUTH_FAILED,
  CLOSE_CODES.CONNECTED_ELSEWHERE,
  CLOSE_CODES.UNSUPPORTED_VERSION,
]);

export function isFatalCloseCode(code: number): boolean {
  return FATAL_CLOSE_CODES.has(code);
}

/** The name of a close code, for logs; `UNKNOWN` for codes not in the table. */
export function closeCodeName(code: number): CloseCodeName | 'UNKNOWN' {
  for (const [name, value] of Object.entries(CLOSE_CODES)) if (value === code) return name as CloseCodeName;
  return 'UNKNOWN';
}

/** The longest retry delay a `SERVER_BUSY` close may ask for: the clients' backoff cap. */
export const MAX_BUSY_RETRY_MS = 60_000;

/** The close reason of a `SERVER_BUSY` close: the retry delay as decimal milliseconds. */
export function busyCloseReason(retryMs: number): string {
  return String(Math.min(MAX_BUSY_RETRY_MS, Math.max(0, Math.round(retryMs))));
}

/**
 * The retry delay in a `SERVER_BUSY` close reason, or null when the reason is not one (the
 * client then backs off as after any other close). Strict: 1 to 5 decimal digits, at most
 * `MAX_BUSY_RETRY_MS`.
 */
export function retryDelayFromBusyReason(reason: string): number | null {
  if (!/^[0-9]{1,5}$/.test(reason)) return null;
  const ms = Number(reason);
  return ms <= MAX_BUSY_RETRY_MS ? ms : null;
}

/**
 * WebSocket close codes used by DiscordOpus servers (CONVENTIONS 5). 1xxx are standard; 4xxx
 * are ours and mirror HTTP status numbers where one fits. The reason string is always empty:
 * codes carry no detail an attacker could use.
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

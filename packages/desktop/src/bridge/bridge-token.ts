import { randomBytes, timingSafeEqual } from 'node:crypto';
import { BRIDGE_SUBPROTOCOL, BRIDGE_TOKEN_SUBPROTOCOL_PREFIX as TOKEN_SUBPROTOCOL_PREFIX } from '@discordopus/protocol/bridge';

export { BRIDGE_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX };

/** 32 random bytes as hex: new for every launch, never written to disk or logs. */
export function createBridgeToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token offered in a `Sec-WebSocket-Protocol` header, or null. */
export function tokenFromSubprotocols(header: string | undefined): string | null {
  if (header === undefined) return null;
  for (const entry of header.split(',')) {
    const value = entry.trim();
    if (value.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return value.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return null;
}

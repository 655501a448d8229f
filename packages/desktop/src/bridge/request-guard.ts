import type { IncomingMessage } from 'node:http';
import { tokenFromSubprotocols } from './bridge-token';

export type RefusalReason = 'bad-host' | 'bad-origin' | 'bad-token' | 'bad-path';

export interface GuardConfig {
  /** `127.0.0.1:PORT`: anything else is a DNS-rebinding attempt or a stray client. */
  expectedHost: string;
  /** Origins allowed to open the bridge: the app's own (`http://127.0.0.1:PORT`). */
  allowedOrigins: readonly string[];
  /** Whether a presented secret belongs to a session bought with a launch code. */
  isSession(secret: string): boolean;
  bridgePath: string;
}

/** Host header check for every HTTP request, page or WebSocket (DNS rebinding). */
export function hostIsExpected(request: IncomingMessage, expectedHost: string): boolean {
  return request.headers.host === expectedHost;
}

/**
 * Why a WebSocket upgrade must be refused, or null to accept it. Checked in this order so that
 * a request from a foreign page learns nothing about the session secrets.
 */
/** Whether a request's Origin header names one of the allowed origins. */
export function originIsAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  return origin !== undefined && allowedOrigins.includes(origin);
}

export function refuseUpgrade(request: IncomingMessage, config: GuardConfig): RefusalReason | null {
  const path = (request.url ?? '').split('?')[0];
  if (path !== config.bridgePath) return 'bad-path';
  if (!hostIsExpected(request, config.expectedHost)) return 'bad-host';
  if (!originIsAllowed(request, config.allowedOrigins)) return 'bad-origin';
  const token = tokenFromSubprotocols(request.headers['sec-websocket-protocol']);
  if (token === null || !config.isSession(token)) return 'bad-token';
  return null;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BRIDGE_SESSION_ERROR_MESSAGES,
  BRIDGE_SESSION_MAX_BODY_BYTES,
  type BridgeSessionErrorCode,
  bridgeSessionRequestSchema,
  parseBridgeJson,
  parseBridgeValue,
} from '@discordopus/protocol/bridge';
import type { BridgeLogger } from './bridge-logger';
import type { LaunchCodes } from './launch-codes';
import { originIsAllowed } from './request-guard';

const STATUS: Record<BridgeSessionErrorCode, number> = {
  BRIDGE_BAD_ORIGIN: 403,
  BRIDGE_BAD_REQUEST: 400,
  BRIDGE_CODE_UNKNOWN: 403,
  BRIDGE_CODE_USED: 410,
  BRIDGE_CODE_EXPIRED: 410,
};

export interface SessionEndpointConfig {
  codes: LaunchCodes;
  /** The app's own origin first, then extra ones (a Vite dev server), which get CORS headers. */
  allowedOrigins: readonly string[];
  headers: Record<string, string>;
  logger: BridgeLogger;
}

/**
 * `POST /bridge/session`: exchange a one-time launch code for a session secret. Only the app's
 * page may ask (Origin), only as JSON (a foreign page cannot send that cross-origin without a
 * preflight that is refused), with a small body. The code and the secret are never logged.
 */
export async function serveSessionRequest(request: IncomingMessage, response: ServerResponse, config: SessionEndpointConfig): Promise<void> {
  const origin = request.headers.origin;
  const cors: Record<string, string> =
    origin !== undefined && config.allowedOrigins.slice(1).includes(origin)
      ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type', Vary: 'Origin' }
      : {};
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { ...config.headers, ...cors, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };
  const refuse = (code: BridgeSessionErrorCode) => {
    config.logger.warn('launch code exchange refused', { reason: code });
    reply(STATUS[code], { code, message: BRIDGE_SESSION_ERROR_MESSAGES[code] });
  };

  if (!originIsAllowed(request, config.allowedOrigins)) {
    request.resume();
    refuse('BRIDGE_BAD_ORIGIN');
    return;
  }
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { ...config.headers, ...cors }).end();
    return;
  }
  if (request.method !== 'POST' || !(request.headers['content-type'] ?? '').startsWith('application/json')) {
    request.resume();
    refuse('BRIDGE_BAD_REQUEST');
    return;
  }
  const text = await readBody(request, BRIDGE_SESSION_MAX_BODY_BYTES);
  const json = text === null ? null : parseBridgeJson(text);
  const parsed = json?.ok ? parseBridgeValue(bridgeSessionRequestSchema, json.value) : null;
  if (parsed === null || !parsed.ok) {
    refuse('BRIDGE_BAD_REQUEST');
    return;
  }
  const result = config.codes.redeem(parsed.value.code);
  if (!result.ok) {
    refuse(result.code);
    return;
  }
  config.logger.info('launch code exchanged for a bridge session', {});
  reply(200, { secret: result.secret });
}

/** The body as text, or null when it is larger than `maxBytes` (the rest is discarded). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooBig = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(null));
  });
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  BRIDGE_LIMITS,
  BRIDGE_PATH,
  BRIDGE_SESSION_PATH,
  BridgeError,
  type BridgeEventName,
  type BridgeEventPayload,
  type BridgeHandlers,
  dispatchBridgeCall,
  encodeEventFrame,
  parseBridgeJson,
  toBridgeErrorPayload,
} from '@discordopus/protocol/bridge';
import { BRIDGE_SUBPROTOCOL } from './bridge-token';
import { type BridgeLogger, silentBridgeLogger } from './bridge-logger';
import { securityHeaders } from './content-security-policy';
import { LaunchCodes } from './launch-codes';
import { hostIsExpected, refuseUpgrade } from './request-guard';
import { serveSessionRequest } from './session-endpoint';
import { notBuiltPage, staticFiles } from './static-files';

export { BRIDGE_PATH };
/** Close code after too many malformed frames on one socket (same number as the wire's BAD_MESSAGE). */
export const BRIDGE_CLOSE_BAD_FRAMES = 4400;

export interface BridgeServerOptions {
  /** The core behind the bridge: one async function per call. */
  handlers: BridgeHandlers;
  /** The built app (packages/app/dist); null serves a page that says how to build it. */
  appDir: string | null;
  /** Milliseconds since the epoch, for launch-code expiry (injected in tests). */
  now?: () => number;
  /** Lifetime of a launch code unless `issueAppUrl` is given another. */
  launchCodeTtlMs?: number;
  /** Default 0: any free port. The server only ever listens on 127.0.0.1. */
  port?: number;
  /** Extra origins allowed besides the server's own (e.g. a Vite dev server). */
  extraAllowedOrigins?: readonly string[];
  maxFrameBytes?: number;
  /** Malformed frames tolerated on one socket before it is closed. */
  maxBadFrames?: number;
  logger?: BridgeLogger;
}

export interface BridgeServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT`: the only origin allowed on the bridge. */
  readonly origin: string;
  /** `ws://127.0.0.1:PORT/bridge`. */
  readonly bridgeUrl: string;
  /**
   * A new address of the page, with a fresh ONE-TIME launch code in its fragment (valid once,
   * for `ttlMs`, default `launchCodeTtlMs`). The page exchanges it for the session secret that
   * opens the WebSocket. Print it only on purpose, never log it.
   */
  issueAppUrl(ttlMs?: number): string;
  /** Number of app windows connected now. */
  readonly connectionCount: number;
  /**
   * Push an event to every connected window. The payload is checked against the contract; one
   * that breaks it is a bug of the caller: it is logged (warn) and dropped, and emit returns false.
   */
  emit<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): boolean;
  /** Subscribe to windows connecting and disconnecting (the launcher quits when the last one goes). */
  onConnectionCountChanged(listener: (count: number) => void): () => void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Serve the built app and the local bridge on 127.0.0.1 (UI-01, UI-02; security model: local bridge). */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const codes = new LaunchCodes({
    ...(options.now ? { now: options.now } : {}),
    ...(options.launchCodeTtlMs !== undefined ? { defaultTtlMs: options.launchCodeTtlMs } : {}),
  });
  const logger = options.logger ?? silentBridgeLogger;
  const maxBadFrames = options.maxBadFrames ?? 20;
  const sockets = new Set<WebSocket>();
  const countListeners = new Set<(count: number) => void>();
  let port = 0;
  const origin = () => `http://${HOST}:${port}`;
  const bridgeUrl = () => `ws://${HOST}:${port}${BRIDGE_PATH}`;
  const allowedOrigins = () => [origin(), ...(options.extraAllowedOrigins ?? [])];

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? BRIDGE_LIMITS.maxFrameBytes,
    handleProtocols: (offered) => (offered.has(BRIDGE_SUBPROTOCOL) ? BRIDGE_SUBPROTOCOL : false),
  });

  const pageHeaders = () => securityHeaders(bridgeUrl(), `${origin()}${BRIDGE_SESSION_PATH}`);
  const serveApp = options.appDir === null ? null : staticFiles(options.appDir, pageHeaders);

  const server = createServer((request, response) => {
    void serveHttp(request, response);
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = pageHeaders();
    if (!hostIsExpected(request, `${HOST}:${port}`)) {
      response.writeHead(421, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Misdirected request.\n');
      return;
    }
    if ((request.url ?? '').split('?')[0] === BRIDGE_SESSION_PATH) {
      await serveSessionRequest(request, response, { codes, allowedOrigins: allowedOrigins(), headers, logger });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (serveApp !== null) {
      serveApp(request, response);
      return;
    }
    const page = notBuiltPage();
    response.writeHead(200, { ...headers, 'Content-Type': page.contentType, 'Content-Length': page.body.length });
    response.end(request.method === 'HEAD' ? undefined : page.body);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(request, {
      expectedHost: `${HOST}:${port}`,
      allowedOrigins: allowedOrigins(),
      isSession: (secret) => codes.isSession(secret),
      bridgePath: BRIDGE_PATH,
    });
    if (refusal !== null) {
      logger.warn('bridge connection refused', { reason: refusal });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws));
  });

  function setCount(): void {
    for (const listener of countListeners) listener(sockets.size);
  }

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    logger.info('app window connected', { connections: sockets.size });
    setCount();
    let badFrames = 0;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ws, data, isBinary).then((bad) => {
        if (!bad) return;
        badFrames += 1;
        if (badFrames >= maxBadFrames) {
          logger.warn('closing bridge socket after repeated malformed frames', { badFrames });
          ws.close(BRIDGE_CLOSE_BAD_FRAMES);
        }
      });
    });
    ws.on('error', (error) => logger.debug('bridge socket error', { error: error.message }));
    ws.on('close', () => {
      sockets.delete(ws);
      logger.info('app window disconnected', { connections: sockets.size });
      setCount();
    });
  }

  /** Answer one frame; resolves true when the frame was malformed. */
  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<boolean> {
    if (isBinary) {
      send(ws, { kind: 'result', id: null, ok: false, error: toBridgeErrorPayload(BridgeError.badFrame('binary frames are not accepted')) });
      return true;
    }
    const json = parseBridgeJson(rawToText(data));
    const result = json.ok
      ? await dispatchBridgeCall(options.handlers, json.value, {
          onUnexpectedError: (error, method) => logger.warn('bridge call failed unexpectedly', { method, error: describe(error) }),
        })
      : { kind: 'result' as const, id: null, ok: false as const, error: toBridgeErrorPayload(BridgeError.badFrame('the frame is not JSON')) };
    send(ws, result);
    return !result.ok && result.error.code.startsWith('BRIDGE_');
  }

  function send(ws: WebSocket, frame: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  logger.info('bridge server listening', { origin: origin() });

  return {
    port,
    origin: origin(),
    bridgeUrl: bridgeUrl(),
    issueAppUrl: (ttlMs) => `${origin()}/#code=${codes.issue(ttlMs)}`,
    get connectionCount() {
      return sockets.size;
    },
    emit(event, payload) {
      let text: string;
      try {
        text = encodeEventFrame(event, payload);
      } catch (error) {
        logger.warn('bridge event dropped: it breaks the contract', { event, error: describe(error) });
        return false;
      }
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
      return true;
    },
    onConnectionCountChanged(listener) {
      countListeners.add(listener);
      return () => countListeners.delete(listener);
    },
    async close() {
      for (const ws of sockets) ws.close(1001);
      await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      logger.info('bridge server closed');
    },
  };
}

function rawToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

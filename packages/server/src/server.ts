import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { canonicalServerId, CLOSE_CODES, LIMITS, MAX_BUSY_RETRY_MS, type SessionLimits } from '@discordopus/protocol';
import { WebSocketServer } from 'ws';
import type { Backplane } from './backplane/backplane';
import { MemoryBackplane } from './backplane/memory-backplane';
import { RedisBackplane } from './backplane/redis-backplane';
import { PublicKeyGate } from './auth/public-key-gate';
import { type Clock, systemClock } from './clock/clock';
import { parseServerConfig, type ServerConfig, type ServerConfigInput } from './config/config';
import { refuseBusy } from './connection/busy-refusal';
import { Connection } from './connection/connection';
import { WriteBatch } from './connection/write-batch';
import { httpHandler } from './http/http-handler';
import { SignalingHub } from './hub/signaling-hub';
import { AddressLimit } from './limits/address-limit';
import { KeyBudgets } from './limits/key-budgets';
import { LoginAdmission } from './limits/login-admission';
import { createLogger, type Logger } from './logging/logger';
import { ServerMetrics } from './metrics/metrics';
import { randomPool } from './random/random-pool';

export interface ServerDeps {
  /** Wall clock and timers: every deadline of the server runs on it (tests pass a fake one). */
  clock: Clock;
  randomBytes: (size: number) => Uint8Array;
  logger: Logger;
  /** Overrides the backplane chosen from the config (tests put nodes on one MemoryBus). */
  backplane: (nodeId: string, config: ServerConfig, logger: Logger) => Backplane;
  /** Node process metrics (event loop, heap) on /metrics; on by default. */
  processMetrics: boolean;
  /** Random source in [0, 1) for the jitter of admission delays. */
  random: () => number;
}

/** How often the per-key budgets forget the keys whose buckets are full again. */
const BUDGET_SWEEP_MS = 5_000;

/** The shortest delay a SERVER_BUSY close asks for: the clients' backoff floor. */
const BUSY_RETRY_MIN_MS = 1_000;

export interface RunningServer {
  /** The URL clients dial (ws:// or wss://). */
  readonly url: string;
  readonly port: number;
  /** What the server signs logins to: its canonical URL. */
  readonly serverId: string;
  readonly nodeId: string;
  readonly config: ServerConfig;
  readonly metrics: ServerMetrics;
  /** Open sockets, authenticated or not. */
  connectionCount(): number;
  /** Graceful: stop accepting, close sockets with 1001, leave the backplane. Idempotent. */
  close(): Promise<void>;
}

function defaultBackplane(nodeId: string, config: ServerConfig, logger: Logger): Backplane {
  if (config.redisUrl === undefined) return new MemoryBackplane(nodeId);
  return new RedisBackplane({ url: config.redisUrl, nodeId, channelPrefix: config.redisChannelPrefix, logger });
}

/**
 * The composition root of a signaling node (INFR-01): config → HTTP(S) server → WebSocket
 * server → hub → backplane. Listens before it resolves; `port: 0` picks a free port.
 */
export async function startSignalingServer(
  input: Partial<ServerConfigInput> = {},
  deps: Partial<ServerDeps> = {},
): Promise<RunningServer> {
  const config = parseServerConfig(input);
  const clock = deps.clock ?? systemClock;
  const randomBytes = deps.randomBytes ?? randomPool();
  const logger = deps.logger ?? createLogger(config.logLevel);
  const nodeId = config.nodeId ?? Buffer.from(randomBytes(9)).toString('base64url');
  const metrics = new ServerMetrics({ processMetrics: deps.processMetrics ?? true });
  const log = logger.child({ node: nodeId });

  let draining = false;
  const serverOptions = {
    maxHeaderSize: 8 * 1024,
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Node checks both timeouts only every `connectionsCheckingInterval` (30 s by default), so a
    // slow-loris socket outlived the configured deadlines by up to 30 s: check often enough.
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(Math.min(config.headersTimeoutMs, config.requestTimeoutMs) / 4))),
    keepAliveTimeout: 5_000,
  };
  const handler = httpHandler(metrics, () => draining);
  const tls = config.tlsCertFile !== undefined && config.tlsKeyFile !== undefined;
  const http: HttpServer = tls
    ? createHttpsServer({ ...serverOptions, cert: readFileSync(config.tlsCertFile as string), key: readFileSync(config.tlsKeyFile as string) }, handler)
    : createHttpServer(serverOptions, handler);
  http.maxHeadersCount = 64;
  http.on('clientError', (_err, socket: Socket) => socket.destroy());

  const hub = new SignalingHub({
    nodeId,
    backplane: (deps.backplane ?? defaultBackplane)(nodeId, config, log),
    clock,
    offlineGraceMs: config.offlineGraceMs,
    nodeHeartbeatMs: config.nodeHeartbeatMs,
    contactRequestPerMinute: config.contactRequestPerMinute,
    contactRequestBurst: config.contactRequestBurst,
    logger: log,
    metrics,
  });
  await hub.start();

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen({ port: config.port, host: config.host, backlog: config.listenBacklog }, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await hub.close();
    throw err;
  }
  const port = (http.address() as AddressInfo).port;
  const serverId = canonicalServerId(config.publicUrl ?? `${tls ? 'wss' : 'ws'}://${hostForUrl(config.host)}:${port}`);

  const sessionLimits: SessionLimits = {
    maxFrameBytes: config.maxFrameBytes,
    maxContacts: LIMITS.maxContacts,
    maxSignalPayloadChars: LIMITS.maxSignalPayloadChars,
    maxContactRequestPayloadChars: LIMITS.maxContactRequestPayloadChars,
    relayPerSecond: config.relayPerSecond,
    relayBurst: config.relayBurst,
    presencePerSecond: config.presencePerSecond,
    presenceBurst: config.presenceBurst,
    contactRequestPerMinute: config.contactRequestPerMinute,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
  const connections = new Set<Connection>();
  // Heartbeats go out in slices, each socket in one of them: a single sweep over 20,000 sockets
  // blocked the event loop for about a second (bench:presence-fanout: p99 ~1 s instead of ~1 ms).
  // Each socket is still pinged once per interval.
  const heartbeatSlots = Array.from({ length: Math.max(1, Math.min(50, Math.floor(config.heartbeatIntervalMs / 100))) }, () => new Set<Connection>());
  let nextConnId = 1;
  const admission = new LoginAdmission({
    maxPending: config.maxPendingLogins,
    initialRatePerSecond: config.initialLoginRatePerSecond,
    minRetryMs: BUSY_RETRY_MIN_MS,
    maxRetryMs: MAX_BUSY_RETRY_MS,
    maxQueueDelayMs: config.maxLoginQueueDelayMs,
    now: () => clock.now(),
    random: deps.random ?? Math.random,
  });
  metrics.observeAdmission(admission);
  const now = (): number => clock.now();
  const budgets = {
    relay: new KeyBudgets({ perSecond: config.relayPerSecond, burst: config.relayBurst, now }),
    presence: new KeyBudgets({ perSecond: config.presencePerSecond, burst: config.presenceBurst, now }),
  };
  const budgetSweep = clock.setInterval(() => {
    budgets.relay.sweep();
    budgets.presence.sweep();
  }, BUDGET_SWEEP_MS);
  const ctx = { config, serverId, hub, metrics, logger: log, clock, randomBytes, sessionLimits, keys: new PublicKeyGate(), admission, budgets };
  // Resolved whenever the last socket is gone, so shutdown waits on an event, not a poll.
  let drained: (() => void) | null = null;

  const perAddress = new AddressLimit(config.maxConnectionsPerAddress);
  // When each socket was accepted (TLS: when its handshake finished): how long its upgrade
  // request then waited inside the node tells admission control whether the node is behind.
  // Only kept when admission control and its queue check are on (neither is by default).
  const acceptedAt = new WeakMap<Socket, number>();
  if (admission.readsQueueDelay) {
    http.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => acceptedAt.set(socket, clock.now()));
  }
  http.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => socket.destroy());
    if (draining) {
      socket.destroy();
      return;
    }
    const address = socket.remoteAddress;
    if (!perAddress.acquire(address)) {
      // Refused before the upgrade: no WebSocket handshake is spent on it.
      metrics.closes.inc({ reason: 'address_full' });
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.once('close', () => perAddress.release(address));
    const accepted = acceptedAt.get(socket);
    const retryMs = admission.admit(accepted === undefined ? 0 : clock.now() - accepted);
    if (retryMs !== null) {
      // Refused before any login work: no nonce, no timer, no session (INFR-05).
      metrics.closes.inc({ reason: 'server_busy' });
      refuseBusy(req, socket, retryMs);
      return;
    }
    // Admitted: pending until the Connection settles it; if none is made, when the socket goes.
    let settled = false;
    socket.once('close', () => !settled && admission.settle(false));
    // The 101 response and the hello leave in one write.
    const batch = new WriteBatch(socket);
    batch.hold();
    wss.handleUpgrade(req, socket, head, (ws) => {
      settled = true;
      if (connections.size >= config.maxConnections) {
        admission.settle(false);
        metrics.closes.inc({ reason: 'server_full' });
        ws.close(CLOSE_CODES.SERVER_FULL);
        return;
      }
      const connId = nextConnId++;
      const conn = new Connection(ws, ctx, connId, batch);
      const slot = heartbeatSlots[connId % heartbeatSlots.length] as Set<Connection>;
      connections.add(conn);
      slot.add(conn);
      metrics.connections.set(connections.size);
      ws.on('close', () => {
        connections.delete(conn);
        slot.delete(conn);
        metrics.connections.set(connections.size);
        if (connections.size === 0) drained?.();
      });
    });
  });

  let nextSlot = 0;
  const heartbeat = clock.setInterval(() => {
    const slot = heartbeatSlots[nextSlot] as Set<Connection>;
    nextSlot = (nextSlot + 1) % heartbeatSlots.length;
    for (const conn of slot) conn.heartbeat();
  }, config.heartbeatIntervalMs / heartbeatSlots.length);

  const url = config.publicUrl ?? serverId;
  if (config.publicUrl === undefined && (config.host === '0.0.0.0' || config.host === '::')) {
    log.warn('listening on all interfaces without --public-url: remote clients will sign for another server id and be refused');
  }
  log.info({ url, serverId, backplane: config.redisUrl ? 'redis' : 'memory' }, 'signaling server listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      log.info({ connections: connections.size }, 'shutting down');
      clock.clearInterval(heartbeat);
      clock.clearInterval(budgetSweep);
      const listenerClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      await hub.close();
      // Bounded: sockets that have not closed when the shutdown timeout fires are cut.
      const emptyOrTimeout = new Promise<void>((resolve) => {
        const timer = clock.setTimeout(resolve, config.shutdownTimeoutMs);
        drained = () => {
          clock.clearTimeout(timer);
          resolve();
        };
      });
      for (const conn of connections) conn.close(CLOSE_CODES.GOING_AWAY, 'shutdown');
      if (connections.size > 0) await emptyOrTimeout;
      else drained?.();
      for (const conn of connections) conn.terminate('shutdown_timeout');
      http.closeAllConnections();
      await listenerClosed;
      log.info('stopped');
    })();
    return closing;
  };

  return { url, port, serverId, nodeId, config, metrics, connectionCount: () => connections.size, close };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return host === '::' ? '[::1]' : '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

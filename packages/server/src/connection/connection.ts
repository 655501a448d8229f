import {
  bytesToBase64url,
  type ClientMessage,
  CLOSE_CODES,
  encodeMessage,
  type IceServer,
  parseClientMessage,
  PROTOCOL_VERSION,
  requestIdSchema,
  type ServerMessage,
  type SessionLimits,
  type VisibleStatus,
  type WireParseResult,
} from '@discordopus/protocol';
import { WebSocket, type RawData } from 'ws';
import { type AuthChallenge, checkAuthProof } from '../auth/auth-check';
import type { PublicKeyGate } from '../auth/public-key-gate';
import type { Clock } from '../clock/clock';
import type { ServerConfig } from '../config/config';
import type { HubSession } from '../hub/hub-session';
import type { SignalingHub } from '../hub/signaling-hub';
import type { KeyBudgets } from '../limits/key-budgets';
import { TokenBucket } from '../limits/token-bucket';
import type { Logger } from '../logging/logger';
import type { ServerMetrics } from '../metrics/metrics';
import { iceServersFor } from '../turn/turn-credentials';
import { quickSignalSend } from './relay-envelope';
import type { WriteBatch } from './write-batch';

export interface ConnectionContext {
  config: ServerConfig;
  serverId: string;
  hub: SignalingHub;
  metrics: ServerMetrics;
  logger: Logger;
  clock: Clock;
  randomBytes: (size: number) => Uint8Array;
  sessionLimits: SessionLimits;
  /** The protocol's public-key rule, shared by the node's connections (it remembers good keys). */
  keys: PublicKeyGate;
  /** Told once per socket when its login is over: logged in, or gone without. */
  admission: { settle(loggedIn: boolean): void };
  /**
   * Relay and presence budgets of the node, kept per public key (PROTOCOL.md §5.10): a key that
   * reconnects finds its spent budget where it left it, so closing and reopening a socket
   * refills nothing.
   */
  budgets: { relay: KeyBudgets; presence: KeyBudgets };
}

type State = 'awaiting-auth' | 'authenticated' | 'closed';

const TEXT_FRAME = { binary: false } as const;

/** How long a closing socket may take to answer the close handshake before it is cut. */
const CLOSE_HANDSHAKE_MS = 2_000;

/**
 * One WebSocket, from hello to close: the login challenge, budgets (frames per socket; relay and
 * presence per key, through the node's `budgets`), strict parsing
 * (CONVENTIONS 4), backpressure, and the session it becomes once authenticated.
 */
export class Connection implements HubSession {
  sessionId = '';
  publicKey = '';
  readonly seen = new Map<string, VisibleStatus>();
  #state: State = 'awaiting-auth';
  #alive = true;
  #openedAt: number;
  readonly #ws: WebSocket;
  readonly #ctx: ConnectionContext;
  readonly #connId: number;
  #logger: Logger | null = null;
  readonly #batch: WriteBatch;
  readonly #knownKey = (key: string): boolean => this.#ctx.keys.knows(key);
  readonly #challenge: AuthChallenge;
  readonly #authTimer: unknown;
  #closeTimer: unknown = null;
  readonly #frames: TokenBucket;
  readonly #malformed: TokenBucket;
  readonly #strikes: TokenBucket;

  constructor(ws: WebSocket, ctx: ConnectionContext, connId: number, batch: WriteBatch) {
    this.#ws = ws;
    this.#ctx = ctx;
    this.#connId = connId;
    this.#batch = batch;
    const clock = ctx.clock;
    this.#openedAt = clock.now();
    const c = ctx.config;
    const now = (): number => clock.now();
    this.#frames = new TokenBucket(c.framesPerSecond, c.framesBurst, now);
    this.#malformed = new TokenBucket(0.1, c.malformedBurst, now);
    this.#strikes = new TokenBucket(1, c.rateLimitStrikeBurst, now);

    ws.on('message', (data, isBinary) => {
      try {
        this.#onFrame(data, isBinary);
      } catch (err) {
        // A bug, not bad input (input is validated): lose this socket, never the process.
        this.#log.error({ err }, 'unexpected error handling a frame');
        this.close(CLOSE_CODES.INTERNAL_ERROR, 'internal_error');
      }
    });
    ws.on('pong', () => (this.#alive = true));
    ws.on('error', (err) => this.#logs('debug') && this.#log.debug({ err: err.message }, 'socket error'));
    ws.on('close', (code) => this.#onClose(code));

    this.#challenge = { serverId: ctx.serverId, nonce: ctx.randomBytes(32), used: false };
    this.#authTimer = clock.setTimeout(() => {
      ctx.metrics.auths.inc({ result: 'timeout' });
      this.close(CLOSE_CODES.AUTH_TIMEOUT, 'auth_timeout');
    }, c.authDeadlineMs);
    this.send({
      type: 'auth.hello',
      protocolVersion: PROTOCOL_VERSION,
      serverId: ctx.serverId,
      nonce: bytesToBase64url(this.#challenge.nonce),
      authDeadlineMs: c.authDeadlineMs,
    });
  }

  /** The socket's logger, made on first use: a pino child per socket cost every login time. */
  get #log(): Logger {
    this.#logger ??= this.#ctx.logger.child({ conn: this.#connId });
    return this.#logger;
  }

  /** Whether a line at `level` would be written: checked before the logger is made at all. */
  #logs(level: 'debug' | 'info'): boolean {
    return this.#ctx.logger.isLevelEnabled(level);
  }

  get authenticated(): boolean {
    return this.#state === 'authenticated';
  }

  /** Called every heartbeat interval: terminate if the last ping went unanswered. */
  heartbeat(): void {
    if (this.#state === 'closed') return;
    if (!this.#alive) {
      this.terminate('heartbeat_timeout');
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }

  send(message: ServerMessage, frame?: Uint8Array): void {
    if (this.#state === 'closed' || this.#ws.readyState !== WebSocket.OPEN) return;
    if (this.#ws.bufferedAmount > this.#ctx.config.maxBufferedBytes) {
      // It does not read: cut it before its queue eats our memory.
      this.terminate('slow_consumer');
      return;
    }
    this.#batch.hold();
    // A text frame either way (ws would send bytes as a binary frame unless told).
    this.#ws.send(frame ?? encodeMessage(message), TEXT_FRAME);
    this.#ctx.metrics.countOut(message.type);
  }

  close(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#ctx.metrics.closes.inc({ reason });
    if (this.#logs('debug')) this.#log.debug({ code, reason }, 'closing');
    this.#ws.close(code);
    this.#closeTimer = this.#ctx.clock.setTimeout(() => this.#ws.terminate(), CLOSE_HANDSHAKE_MS);
  }

  terminate(reason: string): void {
    if (this.#state !== 'closed') this.#ctx.metrics.closes.inc({ reason });
    this.#state = 'closed';
    if (this.#logs('debug')) this.#log.debug({ reason }, 'terminating');
    this.#ws.terminate();
  }

  #onClose(code: number): void {
    this.#state = 'closed';
    this.#ctx.clock.clearTimeout(this.#authTimer);
    if (this.#closeTimer !== null) this.#ctx.clock.clearTimeout(this.#closeTimer);
    if (!this.sessionId) this.#ctx.admission.settle(false);
    if (this.sessionId) {
      this.#ctx.hub.logout(this);
      this.#ctx.metrics.sessions.dec();
      if (this.#logs('info')) this.#log.info({ session: this.sessionId, code, durationMs: this.#ctx.clock.now() - this.#openedAt }, 'session closed');
    }
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    this.#alive = true;
    if (!this.#frames.take()) {
      this.#rateLimited('frames');
      return;
    }
    if (isBinary) {
      this.#malformedFrame(null);
      return;
    }
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#malformedFrame(null);
      return;
    }
    if (this.#state === 'authenticated') {
      const relay = quickSignalSend(value, this.#knownKey);
      if (relay !== null) {
        this.#ctx.metrics.countIn('signal.send');
        this.#onMessage(relay);
        return;
      }
    }
    const result = parseClientMessage(value);
    if (!result.ok) {
      if (!this.#refuseOversize(result, value)) this.#malformedFrame(result.knownType);
      return;
    }
    this.#ctx.metrics.countIn(result.message.type);
    if (this.#state === 'awaiting-auth') this.#onAuth(result.message);
    else this.#onMessage(result.message);
  }

  #malformedFrame(knownType: string | null): void {
    this.#ctx.metrics.malformed.inc();
    if (this.#state === 'awaiting-auth' || !this.#malformed.take()) {
      this.close(CLOSE_CODES.BAD_MESSAGE, 'bad_message');
      return;
    }
    this.send({ type: 'session.error', code: 'BAD_MESSAGE', about: knownType });
  }

  /** A relay or contact request whose only fault is a payload over the limit gets a typed refusal. */
  #refuseOversize(result: Extract<WireParseResult<ClientMessage>, { ok: false }>, value: unknown): boolean {
    const type = result.knownType;
    if (this.#state !== 'authenticated' || (type !== 'signal.send' && type !== 'contact.request.send')) return false;
    if (!result.issues.every((i) => i.path === 'payload' && i.code === 'too_big')) return false;
    const id = requestIdSchema.safeParse((value as { id?: unknown }).id);
    const requestId = id.success ? id.data : null;
    this.#ctx.metrics.relayErrors.inc({ code: 'TOO_LARGE' });
    if (type === 'signal.send') this.send({ type: 'signal.error', id: requestId, code: 'TOO_LARGE' });
    else this.send({ type: 'contact.request.error', id: requestId, code: 'TOO_LARGE' });
    return true;
  }

  #rateLimited(budget: string): void {
    this.#ctx.metrics.rateLimited.inc({ budget });
    if (!this.#strikes.take()) this.close(CLOSE_CODES.RATE_LIMITED, 'rate_limited');
  }

  #onAuth(message: ClientMessage): void {
    if (message.type !== 'auth.proof') {
      this.close(CLOSE_CODES.BAD_MESSAGE, 'not_authenticated');
      return;
    }
    const refusal = checkAuthProof(message, this.#challenge, this.#ctx.clock.now(), this.#ctx.config.authSkewMs, this.#ctx.keys);
    if (refusal !== null) {
      this.#ctx.metrics.auths.inc({ result: 'failed' });
      if (this.#logs('info')) this.#log.info({ reason: refusal }, 'login refused');
      const code = refusal === 'unsupported_version' ? CLOSE_CODES.UNSUPPORTED_VERSION : CLOSE_CODES.AUTH_FAILED;
      this.close(code, 'auth_failed');
      return;
    }
    this.#ctx.clock.clearTimeout(this.#authTimer);
    this.#state = 'authenticated';
    this.#ctx.admission.settle(true);
    this.publicKey = message.publicKey;
    this.sessionId = bytesToBase64url(this.#ctx.randomBytes(16));
    this.#ctx.metrics.auths.inc({ result: 'ok' });
    this.#ctx.metrics.sessions.inc();
    if (this.#logs('info')) this.#log.info({ session: this.sessionId }, 'session opened');
    this.send({
      type: 'auth.welcome',
      sessionId: this.sessionId,
      publicKey: this.publicKey,
      ...this.#iceServers(),
      heartbeatIntervalMs: this.#ctx.config.heartbeatIntervalMs,
      limits: this.#ctx.sessionLimits,
    });
    this.#ctx.hub.login(this, message.status ?? 'online');
  }

  #iceServers(): { iceServers: IceServer[]; iceExpiresAtMs: number | null } {
    return iceServersFor(this.#ctx.config, this.sessionId, this.#ctx.clock.now());
  }

  #onMessage(message: ClientMessage): void {
    const hub = this.#ctx.hub;
    switch (message.type) {
      case 'auth.proof':
        this.send({ type: 'session.error', code: 'NOT_ALLOWED', about: message.type });
        return;
      case 'contacts.set':
      case 'presence.set':
        if (!this.#ctx.budgets.presence.take(this.publicKey)) {
          this.#rateLimited('presence');
          this.send({ type: 'session.error', code: 'RATE_LIMITED', about: message.type });
          return;
        }
        if (message.type === 'contacts.set' && this.#ctx.keys.firstUnusableContact(message.contacts) !== null) {
          this.#malformedFrame(message.type);
          return;
        }
        if (message.type === 'contacts.set') hub.setContacts(this, message.contacts);
        else hub.setStatus(this, message.status);
        return;
      case 'signal.send': {
        if (!this.#ctx.budgets.relay.take(this.publicKey)) {
          this.#rateLimited('relay');
          this.send({ type: 'signal.error', id: message.id, code: 'RATE_LIMITED' });
          return;
        }
        if (!this.#ctx.keys.usable(message.to)) {
          this.#malformedFrame(message.type);
          return;
        }
        const refusal = hub.relay(this, message.to, message.payload);
        if (refusal !== null) {
          this.#ctx.metrics.relayErrors.inc({ code: refusal });
          this.send({ type: 'signal.error', id: message.id, code: refusal });
        }
        return;
      }
      case 'contact.request.send':
        if (!this.#ctx.keys.usable(message.to)) {
          this.#malformedFrame(message.type);
          return;
        }
        if (hub.contactRequest(this, message.to, message.payload) === 'RATE_LIMITED') {
          this.#rateLimited('contact_request');
          this.send({ type: 'contact.request.error', id: message.id, code: 'RATE_LIMITED' });
        }
        return;
      case 'ice.request':
        this.send({ type: 'ice.servers', ...this.#iceServers() });
        return;
      case 'heartbeat.ping':
        this.send({ type: 'heartbeat.pong', t: message.t });
        return;
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }
}

import { connectionEndedDetail } from './connection-words';
import {
  authProofBody,
  base64urlToBytes,
  bytesToBase64url,
  canonicalServerId,
  type ClientMessage,
  CLOSE_CODES,
  encodeMessage,
  type OwnStatus,
  parseServerFrame,
  PROTOCOL_VERSION,
  retryDelayFromBusyReason,
  type ServerMessageOf,
  type SigningPurpose,
} from '@discordopus/protocol';
import { TypedEmitter } from '../events/typed-emitter';
import { type Clock, systemClock } from './clock';
import { LivenessWatchdog } from './liveness-watchdog';
import { type Logger, redactUrl, silentLogger } from '../logging/logger';
import { busyRetryDelay, DEFAULT_RECONNECT_POLICY, firstConnectDelay, isStableConnection, nextReconnectDelay, type ReconnectPolicyOptions } from './reconnect-policy';
import { describeSocketError, fatalCloseError } from './close-errors';
import { checkServerUrl } from './server-url';
import { SignalingError } from './signaling-error';
import type { ConnectionState, ConnectionStatus, SignalingClientEvents } from './signaling-events';
import { createWsSocket, type CreateSignalingSocket, type SignalingSocket } from './signaling-socket';

/**
 * The close code the client sends when it gives up on a socket itself (connect timeout,
 * heartbeat timeout, sleep/wake). 4000-4099 are not used by the server's CLOSE_CODES; the server
 * treats it like any other client close.
 */
export const CLIENT_GAVE_UP_CLOSE_CODE = 4000;

export { FATAL_CLOSE_ERRORS } from './close-errors';

export interface Signer {
  readonly publicKey: Uint8Array;
  sign(purpose: SigningPurpose, body: Uint8Array): Uint8Array;
}

export interface SignalingClientOptions {
  /** One or more server URLs; the client moves to the next one after a failure. */
  urls: readonly string[];
  signer: Signer;
  /** The status to log in with, read at every login, so "invisible" never flashes online. */
  loginStatus: () => OwnStatus;
  /** Allow ws:// to non-loopback hosts (never the default). */
  allowInsecureRemote?: boolean;
  /** Expected server identity; by default the canonical form of the URL dialed. */
  expectedServerId?: string | null;
  createSocket?: CreateSignalingSocket;
  clock?: Clock;
  random?: () => number;
  policy?: ReconnectPolicyOptions;
  /** Give up on a socket that has not opened and authenticated in this time. */
  connectTimeoutMs?: number;
  /** How often the watchdog checks liveness and the wall clock. */
  watchdogIntervalMs?: number;
  /** A wall-clock jump larger than this between watchdog ticks means sleep/wake. */
  clockJumpMs?: number;
  logger?: Logger;
}

/**
 * The client side of the signaling connection (INFR-01, INFR-04, INFR-05): dials, proves its
 * identity, keeps the link alive with heartbeats, and reconnects with jittered backoff until a
 * fatal close says retrying cannot help. Incoming messages are validated and emitted; the
 * composition root routes them to the presence manager (and later the P2P layer).
 */
export class SignalingClient extends TypedEmitter<SignalingClientEvents> {
  readonly #opts: Required<Omit<SignalingClientOptions, 'expectedServerId' | 'allowInsecureRemote'>> & {
    expectedServerId: string | null;
    allowInsecureRemote: boolean;
  };
  #status: ConnectionStatus = { state: 'disconnected', reason: null, detail: null, nextRetryAt: null, server: null };
  #socket: SignalingSocket | null = null;
  #urlIndex = 0;
  #attempt = 0;
  #connectedAt: number | null = null;
  #retryTimer: unknown = null;
  #connectTimer: unknown = null;
  #watchdog: LivenessWatchdog | null = null;
  /** The status the last login proof carried; the presence layer corrects it if it changed since. */
  #proofStatus: OwnStatus = 'online';
  /** The last socket-level error (e.g. a TLS failure), shown with the close that follows. */
  #socketError: string | null = null;
  #running = false;

  constructor(options: SignalingClientOptions) {
    super((err, event) => options.logger?.error({ err, event }, 'signaling listener failed'));
    if (options.urls.length === 0) throw SignalingError.badUrl('no server URL is configured.');
    // Refuse bad or insecure URLs up front, with the reason (INFR-04).
    for (const url of options.urls) checkServerUrl(url, options.allowInsecureRemote ?? false);
    this.#opts = {
      createSocket: createWsSocket,
      clock: systemClock,
      random: Math.random,
      policy: DEFAULT_RECONNECT_POLICY,
      connectTimeoutMs: 10_000,
      watchdogIntervalMs: 5_000,
      clockJumpMs: 30_000,
      logger: silentLogger,
      ...options,
      expectedServerId: options.expectedServerId ?? null,
      allowInsecureRemote: options.allowInsecureRemote ?? false,
    };
  }

  get status(): ConnectionStatus {
    return { ...this.#status };
  }

  get state(): ConnectionState {
    return this.#status.state;
  }

  /** Start connecting (after a small first-connect jitter). Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    // First connect: a small jitter, shown as "connecting" since no attempt has failed yet.
    const { clock } = this.#opts;
    this.#setStatus({ state: 'connecting', reason: null, detail: null, nextRetryAt: null, server: redactUrl(this.#currentUrl()) });
    this.#retryTimer = clock.setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, firstConnectDelay(this.#opts.random, this.#opts.policy));
  }

  /** Disconnect and stay disconnected. */
  stop(): void {
    this.#running = false;
    this.#clearTimers();
    this.#dropSocket(CLOSE_CODES.NORMAL);
    this.#setStatus({ state: 'disconnected', reason: null, detail: null, nextRetryAt: null, server: null });
  }

  /** Skip the backoff wait (the UI's "retry now"); also restarts after a fatal failure. */
  retryNow(): void {
    if (this.#status.state === 'connected' || this.#status.state === 'connecting' || this.#status.state === 'authenticating') return;
    this.#running = true;
    this.#clearTimers();
    this.#connect();
  }

  /** Send a message on the authenticated session; false when not connected (nothing is queued). */
  send(message: ClientMessage): boolean {
    if (this.#status.state !== 'connected' || !this.#socket) return false;
    try {
      this.#socket.send(encodeMessage(message));
      return true;
    } catch (err) {
      this.#opts.logger.warn({ err }, 'signaling send failed');
      return false;
    }
  }

  #currentUrl(): string {
    return this.#opts.urls[this.#urlIndex % this.#opts.urls.length] as string;
  }

  #scheduleConnect(delayMs: number, reason: string | null, detail: string | null): void {
    const { clock } = this.#opts;
    if (delayMs <= 0) {
      this.#connect();
      return;
    }
    this.#setStatus({ state: 'backing-off', reason, detail, nextRetryAt: clock.now() + delayMs, server: null });
    this.#retryTimer = clock.setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delayMs);
  }

  #connect(): void {
    if (!this.#running) return;
    const url = this.#currentUrl();
    const server = redactUrl(url);
    this.#setStatus({ state: 'connecting', reason: null, detail: null, nextRetryAt: null, server });
    let socket: SignalingSocket;
    try {
      socket = this.#opts.createSocket(url);
    } catch (err) {
      this.#opts.logger.warn({ err, server }, 'could not create signaling socket');
      this.#onSocketGone(null, 'CONNECT_FAILED', 'Could not open a connection to the server.');
      return;
    }
    this.#socket = socket;
    this.#connectTimer = this.#opts.clock.setTimeout(() => {
      this.#connectTimer = null;
      if (this.#socket === socket) this.#onSocketGone(socket, 'CONNECT_TIMEOUT', 'The server did not answer in time.');
    }, this.#opts.connectTimeoutMs);

    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#setStatus({ ...this.#status, state: 'authenticating' });
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket === socket) this.#onFrame(socket, event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.#socket === socket) this.#onClose(socket, event.code, typeof event.reason === 'string' ? event.reason : '');
    });
    socket.addEventListener('error', (event) => {
      // Always followed by 'close'; remember why (a refused TLS certificate reads better than 1006).
      if (this.#socket === socket) this.#socketError = describeSocketError(event);
    });
  }

  #onFrame(socket: SignalingSocket, data: unknown): void {
    this.#watchdog?.noteReceived();
    const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : null;
    if (text === null) return;
    const parsed = parseServerFrame(text);
    if (!parsed.ok) {
      // Lenient client (CONVENTIONS 4): a newer server may send types we do not know.
      this.#opts.logger.debug({ unknownType: parsed.unknownType, issues: parsed.issues.length }, 'ignored server frame');
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'auth.hello':
        this.#onHello(socket, message);
        return;
      case 'auth.welcome':
        this.#onWelcome(socket, message);
        return;
      case 'heartbeat.pong':
        return;
      case 'presence.snapshot':
      case 'presence.update':
      case 'signal.relay':
      case 'signal.error':
      case 'contact.request':
      case 'contact.request.error':
      case 'ice.servers':
      case 'session.error':
        if (this.#status.state === 'connected') this.emit('message', { message });
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  }

  #onHello(socket: SignalingSocket, hello: ServerMessageOf<'auth.hello'>): void {
    if (this.#status.state !== 'authenticating') return;
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      this.#fail(SignalingError.unsupportedVersion(hello.protocolVersion, PROTOCOL_VERSION));
      return;
    }
    const expected = this.#opts.expectedServerId ?? canonicalServerId(this.#currentUrl());
    if (hello.serverId !== expected) {
      this.#fail(SignalingError.identityMismatch());
      return;
    }
    const timestampMs = this.#opts.clock.now();
    const { signer } = this.#opts;
    const body = authProofBody({
      protocolVersion: PROTOCOL_VERSION,
      serverId: hello.serverId,
      nonce: base64urlToBytes(hello.nonce),
      timestampMs,
      clientPublicKey: signer.publicKey,
    });
    const proof: ClientMessage = {
      type: 'auth.proof',
      protocolVersion: PROTOCOL_VERSION,
      publicKey: bytesToBase64url(signer.publicKey),
      timestampMs,
      signature: bytesToBase64url(signer.sign('auth', body)),
      status: this.#opts.loginStatus(),
    };
    this.#proofStatus = proof.status ?? 'online';
    socket.send(encodeMessage(proof));
  }

  #onWelcome(socket: SignalingSocket, welcome: ServerMessageOf<'auth.welcome'>): void {
    if (this.#status.state !== 'authenticating') return;
    const { clock } = this.#opts;
    this.#clearTimer('connect');
    this.#connectedAt = clock.now();
    this.#socketError = null;
    const watchdog = new LivenessWatchdog({
      clock,
      tickMs: this.#opts.watchdogIntervalMs,
      heartbeatIntervalMs: welcome.heartbeatIntervalMs,
      clockJumpMs: this.#opts.clockJumpMs,
      sendPing: (t) => this.send({ type: 'heartbeat.ping', t }),
      onFailure: (failure) =>
        failure === 'CLOCK_JUMP'
          ? this.#onSocketGone(socket, 'CLOCK_JUMP', 'The computer woke from sleep; reconnecting.', true)
          : this.#onSocketGone(socket, 'HEARTBEAT_TIMEOUT', 'The server stopped answering.'),
    });
    this.#watchdog = watchdog;
    watchdog.start();
    this.#setStatus({ ...this.#status, state: 'connected', reason: null, detail: null, nextRetryAt: null });
    // A stateChanged listener may have stopped us or replaced the socket: then stop here.
    if (!this.#running || this.#socket !== socket) return;
    this.#opts.logger.info({ server: this.#status.server }, 'signaling connected');
    this.emit('connected', {
      iceServers: welcome.iceServers,
      iceExpiresAtMs: welcome.iceExpiresAtMs,
      heartbeatIntervalMs: welcome.heartbeatIntervalMs,
      limits: welcome.limits,
      loginStatus: this.#proofStatus,
    });
  }

  #onClose(socket: SignalingSocket, code: number, closeReason: string): void {
    const fatal = fatalCloseError(code);
    if (fatal !== null) return this.#fail(fatal);
    const busyMs = code === CLOSE_CODES.SERVER_BUSY ? retryDelayFromBusyReason(closeReason) : null;
    if (busyMs !== null) {
      const delay = busyRetryDelay(busyMs, this.#opts.policy);
      const detail = `The server is busy; trying again in ${Math.ceil(delay / 1000)} s.`;
      return this.#onSocketGone(socket, 'SERVER_BUSY', detail, false, delay);
    }
    const reason = code === CLOSE_CODES.GOING_AWAY ? 'SERVER_RESTARTING' : `SERVER_CLOSED`;
    // In words (issue 15 item 9): never a bare "1006" or "ENOTFOUND" in the UI.
    const detail = connectionEndedDetail({ socketError: this.#socketError, closeCode: code, wasOpen: this.#status.state !== 'connecting' });
    this.#onSocketGone(socket, reason, detail);
  }

  /** The socket is unusable: drop it and schedule the next attempt per the policy. */
  #onSocketGone(socket: SignalingSocket | null, reason: string, detail: string, immediate = false, serverDelayMs: number | null = null): void {
    const { clock, policy } = this.#opts;
    if (socket) this.#dropSocket(CLIENT_GAVE_UP_CLOSE_CODE);
    this.#clearTimers();
    this.#socketError = null;
    if (!this.#running) return;
    if (this.#connectedAt !== null && isStableConnection(clock.now() - this.#connectedAt, policy)) this.#attempt = 0;
    this.#connectedAt = null;
    if (this.#opts.urls.length > 1) this.#urlIndex++;
    // A busy server's delay is an appointment, not a failure: the backoff does not grow.
    const delay = serverDelayMs ?? (immediate ? 0 : nextReconnectDelay({ attempt: this.#attempt, fatal: false, random: this.#opts.random }, policy));
    if (serverDelayMs === null) this.#attempt++;
    this.#opts.logger.info({ reason, delayMs: delay }, 'signaling disconnected');
    this.#scheduleConnect(delay ?? 0, reason, detail);
  }

  #fail(error: SignalingError): void {
    this.#running = false;
    this.#clearTimers();
    this.#dropSocket(CLOSE_CODES.NORMAL);
    this.#connectedAt = null;
    this.#opts.logger.warn({ code: error.code }, 'signaling stopped');
    this.#setStatus({ state: 'failed', reason: error.code, detail: error.message, nextRetryAt: null, server: this.#status.server });
  }

  #dropSocket(code: number): void {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    try {
      socket.close(code);
    } catch {
      // Already closed or never opened.
    }
  }

  #clearTimer(which: 'retry' | 'connect'): void {
    const { clock } = this.#opts;
    if (which === 'retry' && this.#retryTimer !== null) clock.clearTimeout(this.#retryTimer);
    if (which === 'connect' && this.#connectTimer !== null) clock.clearTimeout(this.#connectTimer);
    if (which === 'retry') this.#retryTimer = null;
    if (which === 'connect') this.#connectTimer = null;
  }

  #clearTimers(): void {
    this.#clearTimer('retry');
    this.#clearTimer('connect');
    this.#watchdog?.stop();
    this.#watchdog = null;
  }

  #setStatus(next: ConnectionStatus): void {
    const prev = this.#status.state;
    const changed =
      prev !== next.state || this.#status.reason !== next.reason || this.#status.nextRetryAt !== next.nextRetryAt;
    this.#status = next;
    if (changed) this.emit('stateChanged', { ...next, prev });
  }
}

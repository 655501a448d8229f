import { bytesToBase64url, type ClientMessage, hexToBytes, LIMITS } from '@discordopus/protocol';
import type { ContactRequestManager } from '../contact-requests';
import type { Logger } from '../logging/logger';
import type { SignalingClient } from '../signaling/signaling-client';
import { SignalingError } from '../signaling/signaling-error';
import type { ConnectionStatus } from '../signaling/signaling-events';
import type { SendSignalResult, SignalHandler } from './client-core-events';
import type { ClientCoreParts, SignalingServers } from './client-core-parts';
import { routeServerMessage } from './route-server-message';

export interface SignalingConnectionOptions {
  parts: ClientCoreParts;
  /** The handler of `signal.relay` / `signal.error` now (links), read at each message. */
  signalHandler: () => SignalHandler | null;
  requests: ContactRequestManager | null;
  /** Every change of the connection status (the root's `connectionChanged`). */
  connectionChanged: (status: ConnectionStatus) => void;
  logger: Logger;
}

/**
 * The root's one signaling client at a time (INFR-04, PRES-01): builds it for the servers in
 * force, routes its state to presence, ICE and requests and its messages to the parts
 * (routeServerMessage), and replaces it when the server list changes. Split out of ClientCore.
 */
export class SignalingConnection {
  readonly #o: SignalingConnectionOptions;
  #client: SignalingClient | null = null;
  /** The server list the current client was built for (null before the first connect). */
  #dialed: SignalingServers | null = null;
  #status: ConnectionStatus = { state: 'disconnected', reason: null, detail: null, nextRetryAt: null, server: null };
  #maxSignalPayloadChars: number = LIMITS.maxSignalPayloadChars;

  constructor(options: SignalingConnectionOptions) {
    this.#o = options;
  }

  get status(): ConnectionStatus {
    return { ...this.#status };
  }

  /** The largest `signal.send` payload the current server takes. */
  get maxSignalPayloadChars(): number {
    return this.#maxSignalPayloadChars;
  }

  /** False when there is no connected client. */
  send(message: ClientMessage): boolean {
    return this.#client?.send(message) ?? false;
  }

  /** A `signal.send` of an opaque payload to a public key (hex), checked here; nothing is queued. */
  sendSignal(toPublicKeyHex: string, payload: string, id: string): SendSignalResult {
    let to: string;
    try {
      const bytes = hexToBytes(toPublicKeyHex);
      if (bytes.length !== 32) throw new Error('not 32 bytes');
      to = bytesToBase64url(bytes);
    } catch {
      return { sent: false, reason: 'BAD_TARGET', message: 'A signal goes to a public key (32 bytes, hex).' };
    }
    const max = this.#maxSignalPayloadChars;
    if (payload.length === 0 || payload.length > max) {
      return { sent: false, reason: 'TOO_LARGE', message: `A signal payload has 1 to ${max} characters.` };
    }
    if (!this.send({ type: 'signal.send', id, to, payload })) {
      return { sent: false, reason: 'NOT_CONNECTED', message: SignalingError.notConnected().message };
    }
    return { sent: true, id };
  }

  /** Skip the back-off wait (or connect again after a fatal failure). */
  retryNow(): void {
    if (this.#client) this.#client.retryNow();
    else this.connect();
  }

  /** Whether the server list differs from the one the current client was built for. */
  serversChanged(): boolean {
    return this.#dialed === null || !sameServers(this.#o.parts.signalingServers(), this.#dialed);
  }

  connect(): void {
    const { parts } = this.#o;
    const servers = parts.signalingServers();
    this.#dialed = { urls: [...servers.urls], allowInsecureRemote: servers.allowInsecureRemote };
    let client: SignalingClient;
    try {
      client = parts.createSignaling(servers);
    } catch (err) {
      const e = err instanceof SignalingError ? err : SignalingError.badUrl('it could not be used.');
      this.setStatus({ state: 'failed', reason: e.code, detail: e.message, nextRetryAt: null, server: null });
      return;
    }
    this.#client = client;
    const { presence, ice } = parts;
    const { requests } = this.#o;
    client.on('stateChanged', (e) => {
      if (this.#client !== client) return;
      if (e.prev === 'connected' && e.state !== 'connected') {
        ice.handleDisconnected();
        presence.handleDisconnected(e.reason ?? 'DISCONNECTED');
        requests?.handleDisconnected();
      }
      const { prev: _prev, ...status } = e;
      this.setStatus(status);
    });
    client.on('connected', (welcome) => {
      if (this.#client !== client) return;
      this.#maxSignalPayloadChars = Math.min(LIMITS.maxSignalPayloadChars, welcome.limits.maxSignalPayloadChars);
      ice.handleServerIce(welcome.iceServers, welcome.iceExpiresAtMs);
      presence.handleConnected({ loginStatus: welcome.loginStatus, limits: welcome.limits });
      requests?.handleConnected();
    });
    client.on('message', ({ message }) => {
      if (this.#client === client) routeServerMessage(message, { ...parts, signalHandler: this.#o.signalHandler(), requests, log: this.#o.logger });
    });
    client.start();
  }

  /** Detach and stop the current client (its own "disconnected" is not forwarded). */
  drop(): void {
    const client = this.#client;
    this.#client = null;
    client?.stop();
  }

  setStatus(status: ConnectionStatus): void {
    this.#status = status;
    this.#o.connectionChanged({ ...status });
  }
}

function sameServers(a: SignalingServers, b: SignalingServers): boolean {
  return a.allowInsecureRemote === b.allowInsecureRemote && a.urls.length === b.urls.length && a.urls.every((u, i) => u === b.urls[i]);
}

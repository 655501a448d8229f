import { DiscordOpusError } from '@discordopus/protocol';
import {
  BridgeError,
  type BridgeEventName,
  type BridgeEventPayload,
  type BridgeMethod,
  type BridgeParamsInput,
  type BridgeResult,
  describeBridgeIssues,
  parseBridgeResult,
  readCoreFrame,
} from '@discordopus/protocol/bridge';
import type { BridgeConnector, BridgeTransport } from './bridge-transport';

export type BridgeStatus = 'connecting' | 'open' | 'closed';

export interface BridgeClientLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
}

export interface BridgeClientOptions {
  connect: BridgeConnector;
  /** How long a call may take before it fails with BRIDGE_TIMEOUT. */
  callTimeoutMs?: number;
  logger?: BridgeClientLogger;
}

/** The typed face of the bridge that the rest of the app uses (and tests can replace). */
export interface Bridge {
  call<M extends BridgeMethod>(method: M, params: BridgeParamsInput<M>): Promise<BridgeResult<M>>;
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEventPayload<E>) => void): () => void;
  onStatus(listener: (status: BridgeStatus) => void): () => void;
  readonly status: BridgeStatus;
}

interface Pending {
  method: BridgeMethod;
  resolve(value: unknown): void;
  reject(error: DiscordOpusError): void;
  timer: ReturnType<typeof setTimeout>;
}

const quietLogger: BridgeClientLogger = { debug: () => {}, warn: () => {} };

/**
 * Typed RPC and events over a transport to the core. Results and events are checked against the
 * contract; unknown events are ignored (a newer core), and a call fails with the core's own
 * {code, message} as a DiscordOpusError.
 */
export class BridgeClient implements Bridge {
  #transport: BridgeTransport | null = null;
  #status: BridgeStatus = 'connecting';
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #outbox: string[] = [];
  readonly #eventListeners = new Map<string, Set<(payload: never) => void>>();
  readonly #statusListeners = new Set<(status: BridgeStatus) => void>();
  readonly #options: Required<BridgeClientOptions>;

  constructor(options: BridgeClientOptions) {
    this.#options = { callTimeoutMs: 120_000, logger: quietLogger, ...options };
  }

  get status(): BridgeStatus {
    return this.#status;
  }

  /** Open the transport. Calls made before it opens are sent once it does. */
  start(): void {
    if (this.#transport !== null) return;
    this.#transport = this.#options.connect({
      onOpen: () => {
        for (const text of this.#outbox.splice(0)) this.#transport?.send(text);
        this.#setStatus('open');
      },
      onMessage: (text) => this.#receive(text),
      onClose: () => this.#closed(),
    });
  }

  close(): void {
    this.#transport?.close();
    this.#closed();
  }

  call<M extends BridgeMethod>(method: M, params: BridgeParamsInput<M>): Promise<BridgeResult<M>> {
    if (this.#status === 'closed') return Promise.reject(BridgeError.closed());
    const id = this.#nextId++;
    const text = JSON.stringify({ kind: 'call', id, method, params });
    return new Promise<BridgeResult<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(BridgeError.timeout(method, this.#options.callTimeoutMs));
      }, this.#options.callTimeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      if (this.#status === 'open') this.#transport?.send(text);
      else this.#outbox.push(text);
    });
  }

  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEventPayload<E>) => void): () => void {
    let listeners = this.#eventListeners.get(event);
    if (listeners === undefined) {
      listeners = new Set();
      this.#eventListeners.set(event, listeners);
    }
    const entry = listener as (payload: never) => void;
    listeners.add(entry);
    return () => listeners.delete(entry);
  }

  onStatus(listener: (status: BridgeStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  #receive(text: string): void {
    const frame = readCoreFrame(text);
    switch (frame.kind) {
      case 'invalid':
        this.#options.logger.warn('bridge: ignored a malformed frame', { issues: describeBridgeIssues(frame.issues, 200) });
        return;
      case 'unknown-event':
        this.#options.logger.debug('bridge: ignored an unknown event', { event: frame.event });
        return;
      case 'event': {
        const listeners = this.#eventListeners.get(frame.event);
        for (const listener of listeners ?? []) (listener as (payload: unknown) => void)(frame.payload);
        return;
      }
      case 'result': {
        const pending = frame.id === null ? undefined : this.#pending.get(frame.id);
        if (pending === undefined || frame.id === null) {
          this.#options.logger.warn('bridge: a result matched no call');
          return;
        }
        this.#pending.delete(frame.id);
        clearTimeout(pending.timer);
        if (!frame.ok) {
          pending.reject(new DiscordOpusError(frame.error.code, frame.error.message));
          return;
        }
        const value = parseBridgeResult(pending.method, frame.value);
        if (value.ok) pending.resolve(value.value);
        else pending.reject(BridgeError.badResult(pending.method, describeBridgeIssues(value.issues, 200)));
        return;
      }
      default: {
        const never: never = frame;
        return never;
      }
    }
  }

  #closed(): void {
    if (this.#status === 'closed') return;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(BridgeError.closed());
      this.#pending.delete(id);
    }
    this.#setStatus('closed');
  }

  #setStatus(status: BridgeStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}

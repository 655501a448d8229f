import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';
import { type Backplane, type BackplaneHandlers, type BackplaneMessage, decodeEnvelope } from './backplane';

export interface RedisBackplaneOptions {
  url: string;
  nodeId: string;
  channelPrefix: string;
  logger: Logger;
}

/**
 * Backplane over Redis pub/sub (ioredis): one connection publishes, one subscribes to the
 * broadcast channel and this node's own channel. Nodes skip their own broadcasts. Publishing
 * while disconnected drops the message rather than queueing it (pub/sub is at-most-once and a
 * stale queue would replay old state); when both connections are back, `onResync` fires.
 */
export class RedisBackplane implements Backplane {
  readonly nodeId: string;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #all: string;
  readonly #mine: string;
  readonly #log: Logger;
  #handlers: BackplaneHandlers | null = null;
  /** True from a lost connection until both are ready and subscribed again. */
  #interrupted = false;
  #closing = false;

  constructor(private readonly options: RedisBackplaneOptions) {
    this.nodeId = options.nodeId;
    this.#all = `${options.channelPrefix}:all`;
    this.#mine = `${options.channelPrefix}:node:${options.nodeId}`;
    this.#log = options.logger.child({ component: 'redis-backplane' });
    const common = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      autoResubscribe: false,
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    };
    this.#pub = new Redis(options.url, { ...common, connectionName: `discordopus-pub-${options.nodeId}` });
    this.#sub = new Redis(options.url, { ...common, connectionName: `discordopus-sub-${options.nodeId}` });
  }

  async start(handlers: BackplaneHandlers): Promise<void> {
    this.#handlers = handlers;
    for (const [name, conn] of [['pub', this.#pub], ['sub', this.#sub]] as const) {
      conn.on('error', (err: Error) => this.#log.debug({ conn: name, err: err.message }, 'redis connection error'));
      conn.on('close', () => {
        if (this.#closing || this.#interrupted) return;
        this.#interrupted = true;
        this.#log.warn({ conn: name }, 'redis connection lost; backplane messages are dropped until it returns');
      });
      conn.on('ready', () => void this.#maybeResync());
    }
    this.#sub.on('message', (_channel: string, text: string) => {
      const envelope = decodeEnvelope(text);
      if (envelope === null || envelope.origin === this.nodeId) return;
      this.#handlers?.onMessage(envelope);
    });
    try {
      await Promise.all([this.#pub.connect(), this.#sub.connect()]);
      await this.#sub.subscribe(this.#all, this.#mine);
    } catch (err) {
      // Do not leave reconnect loops behind a failed start.
      this.#closing = true;
      this.#pub.disconnect();
      this.#sub.disconnect();
      throw new Error(`cannot reach Redis at the configured URL: ${(err as Error).message}`, { cause: err });
    }
    this.#log.info({ nodeId: this.nodeId }, 'redis backplane connected');
  }

  async #maybeResync(): Promise<void> {
    if (!this.#interrupted || this.#closing) return;
    if (this.#pub.status !== 'ready' || this.#sub.status !== 'ready') return;
    this.#interrupted = false;
    try {
      // autoResubscribe is off so that resync starts only once we hear our channels again.
      await this.#sub.subscribe(this.#all, this.#mine);
    } catch (err) {
      this.#interrupted = true;
      this.#log.debug({ err: (err as Error).message }, 'resubscribe failed; waiting for the next reconnect');
      return;
    }
    this.#log.info('redis connection back; resynchronising');
    this.#handlers?.onResync();
  }

  broadcast(message: BackplaneMessage): void {
    this.#publish(this.#all, message);
  }

  sendTo(nodeId: string, message: BackplaneMessage): void {
    this.#publish(`${this.options.channelPrefix}:node:${nodeId}`, message);
  }

  #publish(channel: string, message: BackplaneMessage): void {
    if (this.#pub.status !== 'ready') return;
    this.#pub.publish(channel, JSON.stringify({ origin: this.nodeId, message })).catch((err: Error) => {
      this.#log.debug({ err: err.message }, 'publish dropped');
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    // Let queued publishes (node.leave) reach Redis before the connection goes.
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
    this.#pub.disconnect();
    this.#sub.disconnect();
  }
}

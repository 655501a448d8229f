import type { Logger } from '@discordopus/core';
import { type EmbeddedServer, probePort, startEmbeddedServer } from './embedded-server';

export interface SharedEmbeddedServerOptions {
  port: number;
  logger: Logger;
  /** While another launcher's server is in use: how often to check that it is still there. */
  watchIntervalMs?: number;
}

/**
 * The embedded server, started the first time a profile needs it (after unlocking, when the
 * profile has no server of its own) and shared by every profile of this launcher (`npm run demo`).
 * When the server on the port belongs to another launcher, it is watched: if that launcher
 * quits, this one starts its own server on the same port, and the clients' reconnect loop finds
 * it there.
 */
export class SharedEmbeddedServer {
  readonly #opts: SharedEmbeddedServerOptions;
  #server: Promise<EmbeddedServer> | null = null;
  #watch: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(options: SharedEmbeddedServerOptions) {
    this.#opts = options;
  }

  /** The server's URL, starting it on first use. */
  async url(): Promise<string> {
    if (this.#server === null) {
      this.#server = startEmbeddedServer({ port: this.#opts.port, logger: this.#opts.logger });
      this.#server.then(
        (server) => {
          if (!server.owned) this.#watchForTakeOver(server.port);
        },
        () => {},
      );
    }
    try {
      return (await this.#server).url;
    } catch (err) {
      this.#server = null;
      throw err;
    }
  }

  get started(): boolean {
    return this.#server !== null;
  }

  /** True while the server in use is this launcher's own. */
  async owned(): Promise<boolean> {
    return (await this.#server?.catch(() => null))?.owned ?? false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopWatching();
    const server = this.#server;
    this.#server = null;
    if (server !== null) await (await server.catch(() => null))?.close();
  }

  #watchForTakeOver(port: number): void {
    let checking = false;
    this.#watch = setInterval(() => {
      if (checking) return;
      checking = true;
      void this.#takeOverIfGone(port).finally(() => (checking = false));
    }, this.#opts.watchIntervalMs ?? 3_000);
    this.#watch.unref();
  }

  async #takeOverIfGone(port: number): Promise<void> {
    if ((await probePort(port)) !== 'free' || this.#closed) return;
    try {
      const own = await startEmbeddedServer({ port, logger: this.#opts.logger });
      // Clients dial the port they were given: a server anywhere else is of no use to them.
      if (this.#closed || own.port !== port) {
        await own.close();
        return;
      }
      this.#server = Promise.resolve(own);
      if (own.owned) {
        this.#opts.logger.info({ port: own.port }, 'the shared signaling server went away; this launcher runs it now');
        this.#stopWatching();
      }
    } catch (err) {
      this.#opts.logger.warn({ err }, 'could not take over the embedded signaling server');
    }
  }

  #stopWatching(): void {
    if (this.#watch !== null) clearInterval(this.#watch);
    this.#watch = null;
  }
}

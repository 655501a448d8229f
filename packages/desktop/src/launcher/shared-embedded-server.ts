import type { Logger } from '@discordopus/core';
import { type EmbeddedServer, startEmbeddedServer } from './embedded-server';

/**
 * The embedded server, started the first time a profile needs it (after unlocking, when the
 * profile has no server of its own) and shared by every profile of this launcher (`npm run demo`).
 */
export class SharedEmbeddedServer {
  readonly #port: number;
  readonly #logger: Logger;
  #server: Promise<EmbeddedServer> | null = null;

  constructor(options: { port: number; logger: Logger }) {
    this.#port = options.port;
    this.#logger = options.logger;
  }

  /** The server's URL, starting it on first use. */
  async url(): Promise<string> {
    this.#server ??= startEmbeddedServer({ port: this.#port, logger: this.#logger });
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

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server !== null) await (await server.catch(() => null))?.close();
  }
}

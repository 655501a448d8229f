import type { Logger } from '@discordopus/core';
import { type EmbeddedServer, probePort, startEmbeddedServer } from './embedded-server';
import { EmbeddedServerRegistry, type RunnerClaim } from './embedded-server-registry';

export interface SharedEmbeddedServerOptions {
  port: number;
  logger: Logger;
  /**
   * The home folder whose launchers share one embedded server (issue 15, item 3): the one that
   * runs it names its port there. null: no agreement beyond probing `port` (tests of one launcher).
   */
  home: string | null;
  /** While another launcher's server is in use: how often to check that it is still there. */
  watchIntervalMs?: number;
  /** How long to wait for the launcher that is starting the server to name its port. */
  joinTimeoutMs?: number;
}

interface Running {
  server: EmbeddedServer;
  claim: RunnerClaim | null;
}

/** The server of another launcher, on 127.0.0.1:port. */
function sharedServer(port: number): EmbeddedServer {
  return { url: `ws://127.0.0.1:${port}`, port, owned: false, close: async () => {} };
}

/** What the UI says when the embedded server is not on the port it normally takes. */
export function movedPortNote(usualPort: number, port: number): string {
  return `The built-in signaling server could not use its usual port ${usualPort} (another program has it), so it runs on port ${port}. DiscordOpus on this computer finds it there.`;
}

/**
 * The embedded server, started the first time a profile needs it (after unlocking, when the
 * profile has no server of its own) and shared by every profile of this launcher (`npm run demo`)
 * and by every launcher of the same home folder: the launcher that runs it holds the home's
 * registry lock and names its port there, so that when a foreign program holds the usual port
 * they all still meet on one server instead of each starting its own. When the server belongs
 * to another launcher, it is watched: if that launcher quits, one of the others starts a server
 * on the same port, and the clients' reconnect loop finds it there.
 */
export class SharedEmbeddedServer {
  readonly #opts: SharedEmbeddedServerOptions;
  readonly #registry: EmbeddedServerRegistry | null;
  #running: Promise<Running> | null = null;
  #watch: ReturnType<typeof setInterval> | null = null;
  #closed = false;
  #note: string | null = null;

  constructor(options: SharedEmbeddedServerOptions) {
    this.#opts = options;
    this.#registry = options.home === null ? null : new EmbeddedServerRegistry({ home: options.home });
  }

  /** The server's URL, starting it (or finding the home's) on first use. */
  async url(): Promise<string> {
    if (this.#running === null) {
      this.#running = this.#start();
      this.#running.then(
        ({ server }) => {
          if (this.#opts.port !== 0 && server.port !== this.#opts.port) this.#note = movedPortNote(this.#opts.port, server.port);
          if (!server.owned) this.#watchForTakeOver(server.port);
        },
        () => {},
      );
    }
    try {
      return (await this.#running).server.url;
    } catch (err) {
      this.#running = null;
      throw err;
    }
  }

  get started(): boolean {
    return this.#running !== null;
  }

  /** A sentence for the user when the server is not on its usual port, else null. */
  get note(): string | null {
    return this.#note;
  }

  /** True while the server in use is this launcher's own. */
  async owned(): Promise<boolean> {
    return (await this.#running?.catch(() => null))?.server.owned ?? false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopWatching();
    const running = this.#running;
    this.#running = null;
    if (running === null) return;
    const done = await running.catch(() => null);
    await done?.server.close();
    done?.claim?.release();
  }

  async #start(): Promise<Running> {
    const { port, logger } = this.#opts;
    if (this.#registry === null) return { server: await startEmbeddedServer({ port, logger }), claim: null };
    const deadline = Date.now() + (this.#opts.joinTimeoutMs ?? 10_000);
    for (;;) {
      const claim = this.#registry.claim();
      if (claim !== null) return this.#runAsClaimed(claim, port);
      const entry = this.#registry.read();
      if (entry !== null && (await probePort(entry.port)) === 'discordopus') {
        logger.info({ port: entry.port }, 'sharing the embedded signaling server of another launcher of this home');
        return { server: sharedServer(entry.port), claim: null };
      }
      if (Date.now() > deadline) {
        logger.warn({}, 'the launcher running the embedded server did not name a working port; starting one here');
        return { server: await startEmbeddedServer({ port, logger }), claim: null };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async #runAsClaimed(claim: RunnerClaim, port: number): Promise<Running> {
    try {
      const server = await startEmbeddedServer({ port, logger: this.#opts.logger });
      if (!server.owned) {
        // A DiscordOpus server that no launcher of this home runs (another home, a standalone one): share it.
        claim.release();
        return { server, claim: null };
      }
      claim.announce(server.port);
      return { server, claim };
    } catch (err) {
      claim.release();
      throw err;
    }
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
    // With a registry, only the launcher that wins the lock may take over (and only once the runner is gone).
    const claim = this.#registry?.claim() ?? null;
    if (this.#registry !== null && claim === null) return;
    if ((await probePort(port)) !== 'free' || this.#closed) {
      claim?.release();
      return;
    }
    try {
      const own = await startEmbeddedServer({ port, logger: this.#opts.logger });
      // Clients dial the port they were given: a server anywhere else is of no use to them.
      if (this.#closed || own.port !== port) {
        await own.close();
        claim?.release();
        return;
      }
      claim?.announce(port);
      this.#running = Promise.resolve({ server: own, claim });
      if (own.owned) {
        this.#opts.logger.info({ port: own.port }, 'the shared signaling server went away; this launcher runs it now');
        this.#stopWatching();
      }
    } catch (err) {
      claim?.release();
      this.#opts.logger.warn({ err }, 'could not take over the embedded signaling server');
    }
  }

  #stopWatching(): void {
    if (this.#watch !== null) clearInterval(this.#watch);
    this.#watch = null;
  }
}

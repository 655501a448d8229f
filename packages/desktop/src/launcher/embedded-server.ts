import { request } from 'node:http';
import { startSignalingServer, type RunningServer, type ServerConfigInput } from '@discordopus/server';
import type { Logger } from '@discordopus/core';
import { DEFAULT_SIGNALING_PORT } from '@discordopus/protocol';

/** The default port of the embedded server: the same one a new profile's setting points at. */
export const DEFAULT_EMBEDDED_PORT = DEFAULT_SIGNALING_PORT;
/** What a DiscordOpus signaling server answers on `/` (packages/server/src/http/http-handler.ts). */
const SERVER_BANNER = 'DiscordOpus signaling server';

export interface EmbeddedServer {
  /** ws://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** False when another launcher's server was already on the port and is being shared. */
  readonly owned: boolean;
  close(): Promise<void>;
}

export type PortProbe = 'free' | 'discordopus' | 'other';

/** Who is on 127.0.0.1:port: nobody, a DiscordOpus signaling server, or something else. */
export function probePort(port: number, timeoutMs = 2_000): Promise<PortProbe> {
  return new Promise((resolve) => {
    // agent: false: a fresh connection each time, never a pooled one the server may have closed.
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 1024) body += chunk;
      });
      res.on('end', () => resolve(body.startsWith(SERVER_BANNER) ? 'discordopus' : 'other'));
      res.on('error', () => resolve('other'));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'free' : 'other'));
    req.end();
  });
}

/**
 * A signaling server on 127.0.0.1 for profiles that have none configured: on `port` when it is
 * free; the server already there when it is a DiscordOpus one (another profile's launcher);
 * otherwise on any free port.
 */
export async function startEmbeddedServer(options: { port: number; logger: Logger; config?: Partial<ServerConfigInput> }): Promise<EmbeddedServer> {
  const { port, logger } = options;
  const start = async (listenPort: number): Promise<EmbeddedServer> => {
    const server: RunningServer = await startSignalingServer({ logLevel: 'warn', ...options.config, host: '127.0.0.1', port: listenPort });
    logger.info({ port: server.port }, 'embedded signaling server started');
    return { url: server.url, port: server.port, owned: true, close: () => server.close() };
  };
  if (port === 0) return start(0);
  const probe = await probePort(port);
  if (probe === 'discordopus') {
    logger.info({ port }, 'sharing the DiscordOpus signaling server already on the port');
    return { url: `ws://127.0.0.1:${port}`, port, owned: false, close: async () => {} };
  }
  if (probe === 'other') {
    logger.warn({ port }, 'the embedded server port is in use by something else; using a free port');
    return start(0);
  }
  try {
    return await start(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    // Another launcher took it a moment ago.
    return (await probePort(port)) === 'discordopus' ? { url: `ws://127.0.0.1:${port}`, port, owned: false, close: async () => {} } : start(0);
  }
}

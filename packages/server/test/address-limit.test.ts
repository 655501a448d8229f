import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../src/index';
import { eventually } from './helpers/test-client';
import { startTestServer } from './helpers/test-server';

let server: RunningServer | null = null;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  server = null;
});

/** Open a WebSocket from `localAddress`; resolves with 'open' or the HTTP status that refused it. */
function open(url: string, localAddress: string): Promise<'open' | number> {
  const ws = new WebSocket(url, { localAddress });
  sockets.push(ws);
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.once('open', () => resolve('open'));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
}

describe('connections per remote address (INFR-01)', () => {
  it('INFR-01: the (N+1)th socket from one address gets HTTP 503; other addresses, and a freed slot, are not refused', async () => {
    server = await startTestServer({ maxConnectionsPerAddress: 3 });
    const url = server.url;
    const first = await Promise.all([open(url, '127.0.0.1'), open(url, '127.0.0.1'), open(url, '127.0.0.1')]);
    expect(first).toEqual(['open', 'open', 'open']);
    expect(await open(url, '127.0.0.1')).toBe(503);
    // Another address (127.0.0.2 is loopback too) has its own count.
    expect(await Promise.all([open(url, '127.0.0.2'), open(url, '127.0.0.2'), open(url, '127.0.0.2')])).toEqual(['open', 'open', 'open']);
    expect(await open(url, '127.0.0.2')).toBe(503);
    expect(server.connectionCount()).toBe(6);
    expect(await server.metrics.text()).toMatch(/discordopus_closes_total\{reason="address_full"\} 2/);

    // One socket from 127.0.0.1 closes: its slot is free again.
    (sockets[0] as WebSocket).close();
    await eventually(() => server?.connectionCount() === 5, 'the closed socket to be gone');
    expect(await open(url, '127.0.0.1')).toBe('open');
  });

  it('INFR-01: the default leaves room for a test or a small office behind one address, and 0 turns it off', async () => {
    server = await startTestServer();
    expect(server.config.maxConnectionsPerAddress).toBe(64);
    await server.close();
    server = await startTestServer({ maxConnectionsPerAddress: 0 });
    const results = await Promise.all(Array.from({ length: 70 }, () => open(server?.url as string, '127.0.0.1')));
    expect(results.every((r) => r === 'open')).toBe(true);
  });
});

import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ChildServer, startNode, waitFor } from './fault-harness';

/**
 * Slow-loris clients (INFR-01, INFR-04): sockets that open TCP and never finish the HTTP
 * upgrade, or finish it and never log in, must not hold server resources past the deadlines.
 * The deadlines are set low; what is checked is that the server itself closes the sockets and
 * that its open file descriptors and connection count come back to where they were.
 */
const FLAGS = ['--headers-timeout-ms', '400', '--request-timeout-ms', '800', '--auth-deadline-ms', '400'];
const CROWD = 30;

let server: ChildServer;
const openFds = (): number => readdirSync(`/proc/${server.child.pid}/fd`).length;
let baselineFds = 0;

beforeAll(async () => {
  server = await startNode(FLAGS);
  await server.metric('discordopus_connections'); // one HTTP request, so keep-alive state is warm
  await waitFor(async () => (await server.metric('discordopus_connections')) === 0, 'an idle server');
  baselineFds = openFds();
});

afterAll(async () => {
  await server?.kill();
});

/** A raw TCP socket to the server; `closed` resolves when the server ends it. */
function rawSocket(): { socket: Socket; closed: Promise<void> } {
  const socket = connect({ host: '127.0.0.1', port: server.port });
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed };
}

async function fdsBackToBaseline(): Promise<void> {
  // The fetch of /metrics may leave one keep-alive socket for up to 5 s: allow for it.
  await waitFor(() => openFds() <= baselineFds + 1, 'the server released every socket');
}

describe('slow-loris clients do not hold resources past the deadlines (INFR-01, INFR-04)', () => {
  it('INFR-01: sockets that open TCP and send nothing are closed by the server', async () => {
    const crowd = Array.from({ length: CROWD }, rawSocket);
    // We never close them: each close is the server's doing.
    await Promise.all(crowd.map((c) => c.closed));
    await fdsBackToBaseline();
  });

  it('INFR-01: sockets that trickle header lines and never end the request are closed by the server', async () => {
    const crowd = Array.from({ length: CROWD }, rawSocket);
    for (const c of crowd) c.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
    let lines = 0;
    let open = crowd.length;
    for (const c of crowd) void c.closed.then(() => open--);
    // One more header line per socket every 100 ms, bounded, until the server has closed them all.
    while (open > 0 && lines < 300) {
      for (const c of crowd) if (!c.socket.destroyed) c.socket.write(`X-Slow-${lines}: a\r\n`);
      lines++;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(open).toBe(0);
    await fdsBackToBaseline();
  });

  it('INFR-04: sockets that upgrade and never log in get 4408 and are released', async () => {
    const codes = await Promise.all(
      Array.from({ length: CROWD }, () => {
        const ws = new WebSocket(server.url);
        ws.on('error', () => undefined);
        return new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      }),
    );
    expect(new Set(codes)).toEqual(new Set([4408]));
    await waitFor(async () => (await server.metric('discordopus_connections')) === 0, 'no connection left');
    expect(await server.metric('discordopus_closes_total', 'reason="auth_timeout"')).toBeGreaterThanOrEqual(CROWD);
    await fdsBackToBaseline();
  });

  it('INFR-04: sockets that upgrade, never log in and never read are released too', async () => {
    const crowd = await Promise.all(
      Array.from({ length: CROWD }, () => {
        const ws = new WebSocket(server.url);
        ws.on('error', () => undefined);
        // After the hello, stop reading: the close handshake can never complete.
        return new Promise<WebSocket>((resolve) =>
          ws.once('message', () => {
            (ws as unknown as { _socket: Socket })._socket.pause();
            resolve(ws);
          }),
        );
      }),
    );
    // Every one got its hello, so the server held them all; now it must let them all go.
    await waitFor(async () => (await server.metric('discordopus_connections')) === 0, 'no connection left');
    await fdsBackToBaseline();
    for (const ws of crowd) ws.terminate();
  });
});

import { once } from 'node:events';
import { connect } from 'node:net';
import { CLOSE_CODES, retryDelayFromBusyReason } from '@discordopus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { systemClock, type Clock } from '../src/clock/clock';
import { startSignalingServer, type RunningServer } from '../src/server';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { eventually, makeKey, TestClient } from './helpers/test-client';

const running: (ServerProcess | RunningServer)[] = [];
const sockets: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(running.splice(0).map((p) => ('kill' in p ? p.kill() : p.close())));
});

/** A raw socket: what it was sent before it closed, and the close. */
function rawSocket(url: string): Promise<{ frames: string[]; code: number; reason: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => resolve({ frames, code, reason: reason.toString() }));
  });
}

/** Send a raw HTTP request and read the answer until the server closes. */
function rawHttp(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url.replace(/^ws/, 'http'));
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
  });
}

const badUpgrade = (key: string): string =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;

describe('admission control (INFR-05)', () => {
  it('INFR-05: past maxPendingLogins a socket is refused with 4529 and a retry delay, before any hello; a finished login frees a place', async () => {
    const proc = await startServerProcess(['--max-pending-logins', '2', '--initial-login-rate-per-second', '1']);
    running.push(proc);
    // Two logins in progress: connected, hello received, no proof yet.
    const a = await TestClient.connect(proc.url, makeKey());
    const b = await TestClient.connect(proc.url, makeKey());
    sockets.push(a.ws, b.ws);
    expect(await proc.metric('discordopus_logins_pending')).toBe(2);

    const t1 = Date.now();
    const refused = await rawSocket(proc.url);
    expect(refused.code).toBe(CLOSE_CODES.SERVER_BUSY);
    expect(refused.frames).toEqual([]); // no nonce was spent on it
    const first = retryDelayFromBusyReason(refused.reason);
    expect(first).not.toBeNull();
    expect(first).toBeGreaterThanOrEqual(1_000);
    expect(first).toBeLessThanOrEqual(60_000);
    // The next one refused gets the next appointment: at 1 login/s filled to 90 %, the slots
    // are 1,111 ms apart, so it is told to come back at least that much after the first slot.
    const second = retryDelayFromBusyReason((await rawSocket(proc.url)).reason) as number;
    const between = Date.now() - t1;
    expect(second + between).toBeGreaterThanOrEqual(1_000 + 1_111);
    expect(second).toBeLessThanOrEqual(60_000);

    // a logs in: its place is free, and the next socket gets a hello.
    a.send(a.proof());
    await a.next('auth.welcome');
    const c = await TestClient.login(proc.url, makeKey());
    sockets.push(c.ws);
    // b gives up without logging in: its place is free too.
    b.ws.close();
    await b.closed;
    await eventually(async () => (await proc.metric('discordopus_logins_pending')) === 0, 'no login in progress');
    const d = await TestClient.login(proc.url, makeKey());
    sockets.push(d.ws);

    const metrics = (await proc.http('/metrics')).body;
    expect(metrics).toMatch(/discordopus_closes_total\{reason="server_busy"\} 2/);
    expect(metrics).toMatch(/discordopus_auth_total\{result="ok"\} 3/);
  });

  it('INFR-05: an upgrade request that waited in the node far past --max-login-queue-delay-ms is refused with 4529 once 64 logins are pending, though 512 are allowed; one read at once still gets in', async () => {
    // The node's clock is moved by the test: "waited 60 s" without waiting (60 × the limit: the
    // cap falls to its floor of 64).
    let shiftMs = 0;
    const clock: Clock = { ...systemClock, now: () => systemClock.now() + shiftMs };
    // A long auth deadline: on a busy machine the 64 holders must not time out (and free their
    // places) before the late request is read.
    const server = await startSignalingServer({ port: 0, logLevel: 'silent', maxConnectionsPerAddress: 0, authDeadlineMs: 60_000, maxPendingLogins: 512 }, { clock, processMetrics: false });
    running.push(server);
    expect(server.config.maxLoginQueueDelayMs).toBe(1_000); // the default
    const holders = await Promise.all(Array.from({ length: 64 }, () => TestClient.connect(server.url, makeKey())));
    sockets.push(...holders.map((h) => h.ws));
    // A socket the node has accepted but whose request it has not read yet: the node answers a
    // /healthz opened after it, so it has taken this one from the listen queue before.
    const { port } = new URL(server.url);
    const late = connect(Number(port), '127.0.0.1');
    sockets.push({ close: () => late.destroy() });
    await once(late, 'connect');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    shiftMs = 60_000;
    let answer = '';
    late.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    late.write(badUpgrade('dGhlIHNhbXBsZSBub25jZQ=='));
    await once(late, 'end');
    expect(answer).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    const frame = Buffer.from(answer.slice(answer.indexOf('\r\n\r\n') + 4), 'latin1');
    expect(frame[0]).toBe(0x88); // a close frame, no hello
    expect(frame.readUInt16BE(2)).toBe(CLOSE_CODES.SERVER_BUSY);
    const retryMs = retryDelayFromBusyReason(frame.subarray(4, 2 + (frame[1] as number)).toString('ascii'));
    expect(retryMs).toBeGreaterThanOrEqual(1_000);
    expect(retryMs).toBeLessThanOrEqual(60_000);
    // A request read as soon as it came: the 65th login in progress, let in.
    const prompt = await TestClient.connect(server.url, makeKey());
    sockets.push(prompt.ws);
    expect(prompt.hello?.type).toBe('auth.hello');
  });

  it('INFR-05: with the default settings a burst of logins is all let in', async () => {
    const proc = await startServerProcess([]);
    running.push(proc);
    const clients = await Promise.all(Array.from({ length: 20 }, () => TestClient.login(proc.url, makeKey())));
    sockets.push(...clients.map((c) => c.ws));
    expect(await proc.metric('discordopus_logins_pending')).toBe(0);
    expect((await proc.http('/metrics')).body).not.toMatch(/server_busy/);
  });

  it('INFR-05: a malformed upgrade gets 400 whether the node is busy or not, and never holds a place', async () => {
    const proc = await startServerProcess(['--max-pending-logins', '1']);
    running.push(proc);
    // Not busy: ws refuses it, and the place it was admitted to is given back.
    expect(await rawHttp(proc.url, badUpgrade('short'))).toMatch(/^HTTP\/1\.1 400/);
    await eventually(async () => (await proc.metric('discordopus_logins_pending')) === 0, 'the place given back');
    const holder = await TestClient.connect(proc.url, makeKey());
    sockets.push(holder.ws);
    // Busy: the cheap refusal checks the request as ws would.
    expect(await rawHttp(proc.url, badUpgrade('short'))).toMatch(/^HTTP\/1\.1 400/);
    const busy = await rawHttp(proc.url, badUpgrade('dGhlIHNhbXBsZSBub25jZQ=='));
    // RFC 6455's own example key and answer, then the close frame: 0x88, length, 4529, reason.
    expect(busy).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(busy).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    const frame = Buffer.from(busy.slice(busy.indexOf('\r\n\r\n') + 4), 'latin1');
    expect(frame[0]).toBe(0x88);
    expect(frame.readUInt16BE(2)).toBe(CLOSE_CODES.SERVER_BUSY);
    expect(retryDelayFromBusyReason(frame.subarray(4, 2 + (frame[1] as number)).toString('ascii'))).not.toBeNull();
  });
});

import { CLOSE_CODES, retryDelayFromBusyReason } from '@discordopus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { eventually, makeKey, TestClient } from './helpers/test-client';

const running: ServerProcess[] = [];
const sockets: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(running.splice(0).map((p) => p.kill()));
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

  it('INFR-05: with the default settings a burst of logins is all let in', async () => {
    const proc = await startServerProcess([]);
    running.push(proc);
    const clients = await Promise.all(Array.from({ length: 20 }, () => TestClient.login(proc.url, makeKey())));
    sockets.push(...clients.map((c) => c.ws));
    expect(await proc.metric('discordopus_logins_pending')).toBe(0);
    expect((await proc.http('/metrics')).body).not.toMatch(/server_busy/);
  });
});

import { CLOSE_CODES } from '@discordopus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Identity } from '../src/identity/identity';
import type { Clock } from '../src/signaling/clock';
import { SignalingClient } from '../src/signaling/signaling-client';
import type { ConnectionStatus } from '../src/signaling/signaling-events';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

const processes: ServerProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) f();
  for (const s of processes.splice(0)) await s.kill('SIGKILL');
});

/** Real time, but timers fire only when the test says: the retry is observed, never slept on. */
function steppedClock(): Clock & { timers: Map<number, { fn: () => void; ms: number }>; fire(id: number): void } {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  return {
    timers,
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout: (fn, ms) => {
      timers.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    fire: (id) => {
      const t = timers.get(id);
      timers.delete(id);
      t?.fn();
    },
  };
}

function rawSocket(url: string): Promise<{ ws: WebSocket; code: number | null; reason: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('error', () => undefined);
    ws.on('message', () => resolve({ ws, code: null, reason: '' })); // the hello: let in
    ws.on('close', (code, reason) => resolve({ ws, code, reason: reason.toString() }));
  });
}

describe('a busy server (INFR-05)', () => {
  it('INFR-05: the client core waits the delay the server gave with 4529, not its own backoff, then logs in', async () => {
    const server = await startServerProcess(await freePort(), ['--max-pending-logins', '1', '--initial-login-rate-per-second', '1']);
    processes.push(server);
    // One login in progress fills the server; five more refusals push its appointments out to
    // about 1 s + 5 x 1.1 s (1 login/s at 90 %).
    const holder = await rawSocket(server.url);
    expect(holder.code).toBeNull();
    cleanups.push(() => holder.ws.terminate());
    // Taken before the first refusal: the server counts its appointments from when it refused,
    // which is later, so the check below cannot fall short however slow the refusals were.
    const refusedAt = Date.now();
    for (let i = 0; i < 5; i++) expect((await rawSocket(server.url)).code).toBe(CLOSE_CODES.SERVER_BUSY);

    const clock = steppedClock();
    const states: ConnectionStatus[] = [];
    const client = new SignalingClient({
      urls: [server.url],
      signer: Identity.create('Busy'),
      loginStatus: () => 'online',
      clock,
      random: () => 1, // its own first backoff would be exactly 2 000 ms
    });
    cleanups.push(() => client.stop());
    client.on('stateChanged', (e) => states.push(e));
    client.start();
    clock.fire(Math.max(...clock.timers.keys())); // the first-connect jitter
    await waitFor(() => client.state === 'backing-off', 'the busy refusal');
    const status = client.status;
    expect(status.reason).toBe('SERVER_BUSY');
    expect(status.detail).toMatch(/busy/);
    const retry = [...clock.timers.entries()].find(([, t]) => t.ms >= 1_000) as [number, { ms: number }];
    expect(status.nextRetryAt as number).toBeGreaterThanOrEqual(refusedAt + retry[1].ms);
    // The server's appointment, not the client's 2 s: 6.5 s after the first refusals, less
    // the time since then.
    expect(retry[1].ms + (Date.now() - refusedAt)).toBeGreaterThanOrEqual(6_555);
    expect(retry[1].ms).toBeLessThanOrEqual(60_000);

    // The login in progress ends; the appointment comes; the client gets in.
    holder.ws.terminate();
    await waitFor(async () => (await fetch(`${server.url.replace('ws', 'http')}/metrics`).then((r) => r.text())).includes('discordopus_logins_pending 0'), 'the place freed');
    clock.fire(retry[0]);
    await waitFor(() => client.state === 'connected', 'logged in after the wait');
    expect(states.filter((s) => s.state === 'failed')).toEqual([]);
  });
});

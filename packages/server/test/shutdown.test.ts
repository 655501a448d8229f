import { CLOSE_CODES } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './helpers/fake-clock';
import { eventually, makeKey, TestClient } from './helpers/test-client';
import { startTestServer } from './helpers/test-server';

/** Let pending I/O callbacks and promise continuations run (no time passes on the fake clock). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('bounded shutdown on the injected clock (INFR-01)', () => {
  it('INFR-01: close() waits for a client that ignores the close handshake exactly until shutdownTimeoutMs, then cuts it', async () => {
    const clock = new FakeClock(Date.now());
    const server = await startTestServer({ shutdownTimeoutMs: 1_000 }, { clock });
    const polite = await TestClient.login(server.url, makeKey());
    const stuck = await TestClient.login(server.url, makeKey());
    stuck.stopReading();

    let done = false;
    const closing = server.close().then(() => (done = true));
    expect((await polite.closed).code).toBe(CLOSE_CODES.GOING_AWAY);
    await settle();
    expect(done).toBe(false);
    clock.advance(999);
    await settle();
    expect(done).toBe(false);
    expect(server.connectionCount()).toBe(1);
    clock.advance(1);
    await closing;
    // Cut, not closed politely: its 'close' event follows the destroyed socket.
    await eventually(() => server.connectionCount() === 0, 'the stuck socket to be gone');
    stuck.ws.terminate();
  });

  it('INFR-01: with every client polite, close() returns without the clock moving at all', async () => {
    const clock = new FakeClock(Date.now());
    const server = await startTestServer({ shutdownTimeoutMs: 60_000 }, { clock });
    const a = await TestClient.login(server.url, makeKey());
    await server.close();
    expect((await a.closed).code).toBe(CLOSE_CODES.GOING_AWAY);
    expect(server.connectionCount()).toBe(0);
  });
});

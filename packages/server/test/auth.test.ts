import { CLOSE_CODES, LIMITS } from '@discordopus/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { FakeClock } from './helpers/fake-clock';
import { eventually, makeKey, TestClient } from './helpers/test-client';
import { startTestServer } from './helpers/test-server';

/**
 * A server clock the test moves by hand: the timestamp window and the auth deadline run on it,
 * so a slow machine can never make a login miss its deadline, and the deadline test measures
 * fake time, not real time.
 */
const clock = new FakeClock();
const AUTH_DEADLINE_MS = 300;
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ authDeadlineMs: AUTH_DEADLINE_MS }, { clock });
});
afterAll(() => server.close());

describe('login (INFR-04)', () => {
  it('a valid proof logs in; the hello carries a fresh 32-byte nonce and the server identity', async () => {
    const client = await TestClient.connect(server.url);
    expect(client.hello).toMatchObject({ protocolVersion: 1, serverId: server.url, authDeadlineMs: 300 });
    expect(Buffer.from(client.hello.nonce, 'base64url')).toHaveLength(LIMITS.nonceBytes);
    const other = await TestClient.connect(server.url);
    expect(other.hello.nonce).not.toBe(client.hello.nonce);

    client.send(client.proof({ timestampMs: clock.now() }));
    const welcome = await client.next('auth.welcome');
    expect(welcome.publicKey).toBe(client.key.id);
    expect(welcome.limits.maxFrameBytes).toBe(LIMITS.maxFrameBytes);
    await client.close();
    await other.close();
  });

  it('a replayed proof (same nonce, on a new socket) is refused with 4401', async () => {
    const first = await TestClient.connect(server.url);
    const proof = first.proof({ timestampMs: clock.now() });
    first.send(proof);
    await first.next('auth.welcome');
    const replay = await TestClient.connect(server.url, first.key);
    replay.send(proof);
    expect(await replay.closed).toEqual({ code: CLOSE_CODES.AUTH_FAILED, reason: '' });
    // The legitimate session was not disturbed by the failed replay.
    await first.sync();
    await first.close();
  });

  it('a proof sent twice on the same socket is not a second login', async () => {
    const client = await TestClient.connect(server.url);
    const proof = client.proof({ timestampMs: clock.now() });
    client.send(proof);
    await client.next('auth.welcome');
    client.send(proof);
    expect(await client.next('session.error')).toMatchObject({ code: 'NOT_ALLOWED', about: 'auth.proof' });
    await client.close();
  });

  it('a signature over another socket’s nonce is refused', async () => {
    const a = await TestClient.connect(server.url);
    const b = await TestClient.connect(server.url);
    b.send(b.proof({ nonce: a.hello.nonce, timestampMs: clock.now() }));
    expect((await b.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
    await a.close();
  });

  it('a signature made for another purpose over the same body is refused', async () => {
    const client = await TestClient.connect(server.url);
    client.send(client.proof({ purpose: 'signal', timestampMs: clock.now() }));
    expect((await client.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
    const other = await TestClient.connect(server.url);
    other.send(other.proof({ purpose: 'contactRequest', timestampMs: clock.now() }));
    expect((await other.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
  });

  it('a proof signed by another key than the one claimed is refused', async () => {
    const client = await TestClient.connect(server.url);
    client.send(client.proof({ signer: makeKey(), timestampMs: clock.now() }));
    expect((await client.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
  });

  it('a proof for another server identity is refused', async () => {
    const client = await TestClient.connect(server.url);
    client.send(client.proof({ serverId: 'wss://evil.example.org', timestampMs: clock.now() }));
    expect((await client.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
  });

  it('timestamps are accepted within the stated skew either way, refused beyond it', async () => {
    const skew = LIMITS.authTimestampSkewMs;
    for (const offset of [-skew, skew]) {
      const ok = await TestClient.connect(server.url);
      ok.send(ok.proof({ timestampMs: clock.now() + offset }));
      await ok.next('auth.welcome');
      await ok.close();
    }
    for (const offset of [-skew - 1, skew + 1]) {
      const stale = await TestClient.connect(server.url);
      stale.send(stale.proof({ timestampMs: clock.now() + offset }));
      expect((await stale.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
    }
  });

  it('the clock is the server’s: moving it makes an old timestamp stale', async () => {
    const client = await TestClient.connect(server.url);
    const proof = client.proof({ timestampMs: clock.now() });
    clock.setWallClock(clock.now() + LIMITS.authTimestampSkewMs + 1);
    client.send(proof);
    expect((await client.closed).code).toBe(CLOSE_CODES.AUTH_FAILED);
  });

  it('another protocol version is refused with 4426 (fatal for the client)', async () => {
    const client = await TestClient.connect(server.url);
    client.send(client.proof({ protocolVersion: 2, timestampMs: clock.now() }));
    expect((await client.closed).code).toBe(CLOSE_CODES.UNSUPPORTED_VERSION);
  });

  it('INFR-04: a silent socket is closed with 4408 when the auth deadline passes, not before', async () => {
    const client = await TestClient.connect(server.url);
    const timeouts = async (): Promise<string> => /discordopus_auth_total\{result="timeout"\} (\d+)/.exec(await server.metrics.text())?.[1] ?? '0';
    const before = await timeouts();
    // The server's timers run on the fake clock, synchronously: one millisecond short of the
    // deadline nothing has fired…
    clock.advance(AUTH_DEADLINE_MS - 1);
    expect(await timeouts()).toBe(before);
    expect(server.connectionCount()).toBeGreaterThanOrEqual(1);
    // …and at the deadline the socket is closed.
    clock.advance(1);
    expect((await client.closed).code).toBe(CLOSE_CODES.AUTH_TIMEOUT);
    await eventually(async () => Number(await timeouts()) === Number(before) + 1, 'the timeout to be counted');
  });

  it('any other message before login closes with 4400', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'presence.set', status: 'online' });
    expect((await client.closed).code).toBe(CLOSE_CODES.BAD_MESSAGE);
    const garbage = await TestClient.connect(server.url);
    garbage.sendRaw('not json');
    expect((await garbage.closed).code).toBe(CLOSE_CODES.BAD_MESSAGE);
  });

  it('one session per key: a second login takes over and the first is closed with 4409', async () => {
    const key = makeKey();
    const first = await TestClient.connect(server.url, key);
    first.send(first.proof({ timestampMs: clock.now() }));
    await first.next('auth.welcome');
    const second = await TestClient.connect(server.url, key);
    second.send(second.proof({ timestampMs: clock.now() }));
    await second.next('auth.welcome');
    expect((await first.closed).code).toBe(CLOSE_CODES.CONNECTED_ELSEWHERE);
    await second.sync();
    await second.close();
  });
});

import { CLOSE_CODES, LIMITS } from '@discordopus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { FakeClock } from './helpers/fake-clock';
import { eventually, makeKey, TestClient } from './helpers/test-client';
import { startTestServer } from './helpers/test-server';

let server: RunningServer | null = null;
const clients: TestClient[] = [];

async function start(config: Parameters<typeof startTestServer>[0] = {}): Promise<RunningServer> {
  server = await startTestServer(config);
  return server;
}
async function login(status?: 'online' | 'away' | 'busy' | 'invisible'): Promise<TestClient> {
  const c = await TestClient.login((server as RunningServer).url, makeKey(), status);
  clients.push(c);
  return c;
}
/** Make two clients mutual contacts. */
async function befriend(a: TestClient, b: TestClient): Promise<void> {
  await a.setContacts([b.key]);
  await b.setContacts([a.key]);
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = null;
});

describe('relay between mutual contacts (INFR-01)', () => {
  it('delivers with the sender stamped from the session, whatever the client claims', async () => {
    await start();
    const [a, b, c] = [await login(), await login(), await login()];
    await befriend(a, b);
    a.send({ type: 'signal.send', id: 'x1', to: b.key.id, payload: 'offer', from: c.key.id });
    const relayed = await b.next('signal.relay');
    expect(relayed).toEqual({ type: 'signal.relay', from: a.key.id, payload: 'offer' });
    expect(b.rawFrames.some((f) => f.includes(c.key.id))).toBe(false);
    await a.sync();
    expect(a.all('signal.error')).toEqual([]);
  });

  it('refuses a target the sender does not list with NOT_MUTUAL', async () => {
    await start();
    const [a, b] = [await login(), await login()];
    await b.setContacts([a.key]);
    a.send({ type: 'signal.send', id: 'n1', to: b.key.id, payload: 'p' });
    expect(await a.next('signal.error')).toEqual({ type: 'signal.error', id: 'n1', code: 'NOT_MUTUAL' });
    await b.sync();
    expect(b.all('signal.relay')).toEqual([]);
  });

  it('a target that does not list the sender looks exactly like an offline one', async () => {
    await start();
    const [a, b] = [await login(), await login()];
    const offline = makeKey();
    await a.setContacts([b.key, offline]);
    await b.setContacts([]);
    a.send({ type: 'signal.send', id: 'one-sided', to: b.key.id, payload: 'p' });
    a.send({ type: 'signal.send', id: 'offline', to: offline.id, payload: 'p' });
    expect(await a.next('signal.error')).toEqual({ type: 'signal.error', id: 'one-sided', code: 'TARGET_OFFLINE' });
    expect(await a.next('signal.error')).toEqual({ type: 'signal.error', id: 'offline', code: 'TARGET_OFFLINE' });
    await b.sync();
    expect(b.all('signal.relay')).toEqual([]);
  });

  it('a contact who went offline gets TARGET_OFFLINE', async () => {
    await start();
    const [a, b] = [await login(), await login()];
    await befriend(a, b);
    await b.close();
    await a.next('presence.update');
    a.send({ type: 'signal.send', id: 'gone', to: b.key.id, payload: 'p' });
    expect(await a.next('signal.error')).toMatchObject({ id: 'gone', code: 'TARGET_OFFLINE' });
  });

  it('an invisible user still receives from and sends to mutual contacts, and the sender is told offline (PRES-03)', async () => {
    await start();
    const [a, inv] = [await login(), await login('invisible')];
    await befriend(a, inv);
    a.send({ type: 'signal.send', id: 'i1', to: inv.key.id, payload: 'to-invisible' });
    expect(await inv.next('signal.relay')).toMatchObject({ from: a.key.id, payload: 'to-invisible' });
    // To the sender the invisible user looks exactly like an offline one: no sign of being there.
    expect(await a.next('signal.error')).toEqual({ type: 'signal.error', id: 'i1', code: 'TARGET_OFFLINE' });
    inv.send({ type: 'signal.send', id: 'i2', to: a.key.id, payload: 'from-invisible' });
    expect(await a.next('signal.relay')).toMatchObject({ from: inv.key.id, payload: 'from-invisible' });
  });

  it('an oversize payload is refused with TOO_LARGE and the socket stays usable', async () => {
    await start();
    const [a, b] = [await login(), await login()];
    await befriend(a, b);
    a.send({ type: 'signal.send', id: 'big', to: b.key.id, payload: 'x'.repeat(LIMITS.maxSignalPayloadChars + 1) });
    expect(await a.next('signal.error')).toEqual({ type: 'signal.error', id: 'big', code: 'TOO_LARGE' });
    a.send({ type: 'signal.send', id: 'max', to: b.key.id, payload: 'y'.repeat(LIMITS.maxSignalPayloadChars) });
    expect((await b.next('signal.relay')).payload).toHaveLength(LIMITS.maxSignalPayloadChars);
    expect(b.all('signal.relay')).toHaveLength(1);
  });

  it('a frame above maxFrameBytes closes the socket (1009), before it is parsed', async () => {
    await start();
    const a = await login();
    a.sendRaw('x'.repeat(LIMITS.maxFrameBytes + 1));
    expect((await a.closed).code).toBe(CLOSE_CODES.MESSAGE_TOO_BIG);
  });

  it('relay has its own budget: RATE_LIMITED past the burst, presence still allowed', async () => {
    await start({ relayBurst: 3, relayPerSecond: 0.001 });
    const [a, b] = [await login(), await login()];
    await befriend(a, b);
    for (let i = 0; i < 5; i++) a.send({ type: 'signal.send', id: `r${i}`, to: b.key.id, payload: 'p' });
    const errors = [await a.next('signal.error'), await a.next('signal.error')];
    expect(errors).toEqual([
      { type: 'signal.error', id: 'r3', code: 'RATE_LIMITED' },
      { type: 'signal.error', id: 'r4', code: 'RATE_LIMITED' },
    ]);
    a.send({ type: 'presence.set', status: 'away' });
    expect(await b.next('presence.update')).toMatchObject({ publicKey: a.key.id, status: 'away' });
  });

  it('presence has its own budget too', async () => {
    await start({ presenceBurst: 2, presencePerSecond: 0.001 });
    const a = await login();
    await a.setContacts([]);
    a.send({ type: 'presence.set', status: 'away' });
    a.send({ type: 'presence.set', status: 'busy' });
    expect(await a.next('session.error')).toEqual({ type: 'session.error', code: 'RATE_LIMITED', about: 'presence.set' });
  });

  it('a client that keeps hammering past its budget is closed with 4429', async () => {
    await start({ relayBurst: 1, relayPerSecond: 0.001, rateLimitStrikeBurst: 5 });
    const [a, b] = [await login(), await login()];
    await befriend(a, b);
    for (let i = 0; i < 20; i++) a.send({ type: 'signal.send', id: `h${i}`, to: b.key.id, payload: 'p' });
    expect((await a.closed).code).toBe(CLOSE_CODES.RATE_LIMITED);
  });

  it('repeated malformed frames are counted, answered, then closed with 4400', async () => {
    const s = await start({ malformedBurst: 3 });
    const a = await login();
    a.sendRaw('{');
    expect(await a.next('session.error')).toMatchObject({ code: 'BAD_MESSAGE' });
    a.send({ type: 'signal.send', id: 1 });
    expect(await a.next('session.error')).toEqual({ type: 'session.error', code: 'BAD_MESSAGE', about: 'signal.send' });
    a.sendRaw(new Uint8Array([1, 2, 3]));
    a.sendRaw('[]');
    expect((await a.closed).code).toBe(CLOSE_CODES.BAD_MESSAGE);
    expect(await s.metrics.text()).toMatch(/discordopus_malformed_frames_total 4/);
  });
});

describe('contact requests', () => {
  it('a stranger’s request reaches an online user, stamped; the sender learns nothing', async () => {
    await start();
    const [stranger, target] = [await login(), await login('invisible')];
    stranger.send({ type: 'contact.request.send', id: 'c1', to: target.key.id, payload: 'hi, add me' });
    expect(await target.next('contact.request')).toEqual({ type: 'contact.request', from: stranger.key.id, payload: 'hi, add me' });
    stranger.send({ type: 'contact.request.send', id: 'c2', to: makeKey().id, payload: 'nobody home' });
    await stranger.sync();
    expect(stranger.received.filter((m) => m.type !== 'heartbeat.pong' && m.type !== 'auth.hello' && m.type !== 'auth.welcome')).toEqual([]);
  });

  it('is rate-limited separately', async () => {
    await start({ contactRequestBurst: 2, contactRequestPerMinute: 0.001 });
    const [stranger, target] = [await login(), await login()];
    for (let i = 0; i < 3; i++) stranger.send({ type: 'contact.request.send', id: `q${i}`, to: target.key.id, payload: 'p' });
    expect(await stranger.next('contact.request.error')).toEqual({ type: 'contact.request.error', id: 'q2', code: 'RATE_LIMITED' });
    await target.sync();
    expect(target.all('contact.request')).toHaveLength(2);
  });

  it('CONT-06: the budget follows the sender’s key: reconnecting 4 times delivers at most the burst', async () => {
    // A fake server clock that the test never moves: no token comes back during the test,
    // however slow the machine is.
    server = await startTestServer({}, { clock: new FakeClock(Date.now()) });
    const target = await login();
    const key = makeKey();
    const burst = server.config.contactRequestBurst;
    const refused: string[] = [];
    for (let session = 0; session < 5; session++) {
      const stranger = await TestClient.login(server.url, key);
      for (let i = 0; i < burst; i++) stranger.send({ type: 'contact.request.send', id: `s${session}-${i}`, to: target.key.id, payload: 'add me' });
      await stranger.sync();
      refused.push(...stranger.all('contact.request.error').map((e) => `${e.id}:${e.code}`));
      await stranger.close();
    }
    await target.sync();
    expect(target.all('contact.request')).toHaveLength(burst);
    expect(refused).toHaveLength(4 * burst);
    expect(refused.every((r) => r.endsWith(':RATE_LIMITED'))).toBe(true);
    // Another key is not charged for the first one's requests.
    const other = await login();
    other.send({ type: 'contact.request.send', id: 'o', to: target.key.id, payload: 'me too' });
    expect(await target.nextMatching('contact.request', (r) => r.from === other.key.id)).toMatchObject({ payload: 'me too' });
  });
});

describe('connection limits and liveness', () => {
  it('a client that does not read is dropped once its queue passes maxBufferedBytes', async () => {
    const s = await start({ maxBufferedBytes: 64 * 1024, relayBurst: 100_000, relayPerSecond: 100_000, framesBurst: 100_000, framesPerSecond: 100_000 });
    const [a, b] = [await login(), await login()];
    await befriend(a, b);
    // b stops reading: the kernel buffers fill, then the server's queue grows.
    b.stopReading();
    const payload = 'z'.repeat(LIMITS.maxSignalPayloadChars);
    for (let i = 0; i < 2_000 && s.connectionCount() === 2; i++) {
      a.send({ type: 'signal.send', id: `f${i}`, to: b.key.id, payload });
      if (i % 50 === 49) await a.sync();
    }
    await eventually(() => s.connectionCount() === 1, 'the slow consumer to be dropped');
    expect(await s.metrics.text()).toMatch(/discordopus_closes_total\{reason="slow_consumer"\} 1/);
    await a.sync();
  });

  it('connections past the cap are closed with 4503', async () => {
    await start({ maxConnections: 2 });
    const a = await TestClient.connect((server as RunningServer).url);
    const b = await TestClient.connect((server as RunningServer).url);
    clients.push(a, b);
    const c = await import('ws').then(({ WebSocket }) => new WebSocket((server as RunningServer).url));
    const code = await new Promise<number>((resolve) => c.once('close', (code) => resolve(code)));
    expect(code).toBe(CLOSE_CODES.SERVER_FULL);
  });

  it('a socket that stops answering pings is terminated and its presence goes offline', async () => {
    const s = await start({ heartbeatIntervalMs: 100 });
    const [a, b] = [await login(), await login()];
    await befriend(a, b);
    expect(a.all('presence.update').at(-1)).toMatchObject({ publicKey: b.key.id, status: 'online' });
    b.stopReading();
    await a.nextMatching('presence.update', (u) => u.publicKey === b.key.id && u.status === 'offline');
    expect(await s.metrics.text()).toMatch(/discordopus_closes_total\{reason="heartbeat_timeout"\} 1/);
  });

  it('answers ice.request and heartbeat.ping', async () => {
    await start({ stunUrls: ['stun:127.0.0.1:3478'], turnUrls: ['turn:127.0.0.1:3478'], turnSecret: 'a-long-secret' });
    const a = await login();
    a.send({ type: 'ice.request' });
    const ice = await a.next('ice.servers');
    expect(ice.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    expect(ice.iceServers[1]?.username).toMatch(/^\d+:/);
    expect(ice.iceExpiresAtMs).toBeGreaterThan(Date.now());
    a.send({ type: 'heartbeat.ping', t: 42 });
    expect(await a.next('heartbeat.pong')).toEqual({ type: 'heartbeat.pong', t: 42 });
  });
});

import { bytesToBase64url, FATAL_CLOSE_CODES, PROTOCOL_VERSION, type ServerMessage } from '@discordopus/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Identity } from '../identity/identity';
import { verifyForPurpose } from '../identity/ed25519';
import { authProofBody, base64urlToBytes } from '@discordopus/protocol';
import { FakeSocket, welcomeMessage } from './fake-socket.test-helper';
import { CLIENT_GAVE_UP_CLOSE_CODE, FATAL_CLOSE_ERRORS, SignalingClient } from './signaling-client';
import type { ConnectionStatus } from './signaling-events';

const URL_A = 'ws://127.0.0.1:7717';
const identity = Identity.create('Alice');
const nonce = bytesToBase64url(new Uint8Array(32).fill(9));

function hello(serverId = URL_A): ServerMessage {
  return { type: 'auth.hello', protocolVersion: 1, serverId, nonce, authDeadlineMs: 5_000 };
}

function welcome(heartbeatIntervalMs = 20_000): ServerMessage {
  return welcomeMessage(identity.publicKey, { heartbeatIntervalMs });
}

function setup(overrides: Partial<ConstructorParameters<typeof SignalingClient>[0]> = {}) {
  const sockets: FakeSocket[] = [];
  const states: (ConnectionStatus & { prev: string })[] = [];
  const client = new SignalingClient({
    urls: [URL_A],
    signer: identity,
    loginStatus: () => 'away',
    random: () => 1,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    ...overrides,
  });
  client.on('stateChanged', (e) => states.push(e));
  const last = () => sockets.at(-1) as FakeSocket;
  /** Open the newest socket and complete the handshake. */
  const login = (hb = 20_000) => {
    last().open();
    last().receive(hello());
    last().receive(welcome(hb));
  };
  return { client, sockets, states, last, login };
}

describe('SignalingClient (INFR-01, INFR-04, INFR-05)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('INFR-04: answers the hello with a proof signed for the auth purpose over the canonical bytes', async () => {
    const { client, last, states } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    last().open();
    expect(client.state).toBe('authenticating');
    last().receive(hello());
    const proof = last().lastSent() as { type: string; publicKey: string; timestampMs: number; signature: string; status: string };
    expect(proof.type).toBe('auth.proof');
    expect(proof.status).toBe('away');
    const body = authProofBody({
      protocolVersion: 1,
      serverId: URL_A,
      nonce: base64urlToBytes(nonce),
      timestampMs: proof.timestampMs,
      clientPublicKey: identity.publicKey,
    });
    const sig = base64urlToBytes(proof.signature);
    expect(verifyForPurpose(identity.publicKey, 'auth', body, sig)).toBe(true);
    expect(verifyForPurpose(identity.publicKey, 'signal', body, sig)).toBe(false);
    const connected = vi.fn();
    client.on('connected', connected);
    last().receive(welcome());
    expect(client.state).toBe('connected');
    expect(connected).toHaveBeenCalledWith(expect.objectContaining({ iceServers: [{ urls: ['stun:127.0.0.1:3478'] }] }));
    expect(states.map((s) => s.state)).toEqual(['connecting', 'authenticating', 'connected']);
  });

  it('issue 15 item 9: a lost connection is described in words, without the close code', async () => {
    const { client, states, last, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.state).toBe('connected');
    last().serverClose(1006);
    const s = states.at(-1) as ConnectionStatus;
    expect(s).toMatchObject({ state: 'backing-off', reason: 'SERVER_CLOSED' });
    expect(s.detail).toMatch(/^The connection to the server was lost: it stopped without saying goodbye/);
    expect(s.detail).not.toMatch(/1006/);
  });

  it('INFR-05: delays follow the policy: 1..60 s, doubling, jittered, reset after a stable connection', async () => {
    const { client, sockets, states, last, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      last().serverClose(1006);
      const s = states.at(-1) as ConnectionStatus;
      expect(s.state).toBe('backing-off');
      const delay = (s.nextRetryAt as number) - Date.now();
      delays.push(delay);
      const before = sockets.length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sockets.length).toBe(before); // not a millisecond early
      await vi.advanceTimersByTimeAsync(1);
      expect(sockets.length).toBe(before + 1);
    }
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);

    // A connection that stays up past stableAfterMs resets the counter.
    login();
    await vi.advanceTimersByTimeAsync(16_000);
    last().serverClose(1006);
    expect((states.at(-1)?.nextRetryAt as number) - Date.now()).toBe(2_000);
    client.stop();
  });

  it('INFR-05: a restarting server (1001) is retried with backoff and the reason is shown', async () => {
    const { client, states, last, login } = setup({ random: () => 0 });
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    login();
    last().serverClose(1001);
    expect(states.at(-1)).toMatchObject({ state: 'backing-off', reason: 'SERVER_RESTARTING' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.state).toBe('connecting');
    client.stop();
  });

  it.each([
    [4401, 'AUTH_REJECTED', /refused this identity’s login/],
    [4409, 'CONNECTED_ELSEWHERE', /connected to the server from somewhere else/],
    // A close carries no version: say which one we speak, never a made-up server version.
    [4426, 'UNSUPPORTED_VERSION', new RegExp(`does not support protocol version ${PROTOCOL_VERSION}\\b`)],
  ])('INFR-05: fatal close %i stops retrying and says %s', async (code, reason, detail) => {
    const { client, sockets, last } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    last().open();
    last().receive(hello());
    last().serverClose(code);
    expect(client.status).toMatchObject({ state: 'failed', reason });
    expect(client.status.detail).toMatch(detail);
    expect(client.status.detail).not.toMatch(/version 0\b/);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(sockets).toHaveLength(1);
  });

  it('INFR-05: a busy server (4529) is retried after the delay it asked for, held to 1-60 s, without growing the backoff', async () => {
    const { client, sockets, states, last, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    const waits: number[] = [];
    for (const reason of ['7250', '0', '60000', '5000']) {
      last().open();
      last().serverClose(4529, reason);
      const s = states.at(-1) as ConnectionStatus;
      expect(s).toMatchObject({ state: 'backing-off', reason: 'SERVER_BUSY' });
      waits.push((s.nextRetryAt as number) - Date.now());
      const before = sockets.length;
      await vi.advanceTimersByTimeAsync((s.nextRetryAt as number) - Date.now());
      expect(sockets.length).toBe(before + 1);
    }
    expect(waits).toEqual([7_250, 1_000, 60_000, 5_000]);
    expect(states.at(-1)?.detail ?? '').not.toMatch(/busy/); // connecting again
    // Four refusals counted as no failure: the next real failure still waits the first window.
    last().serverClose(1006);
    expect((states.at(-1)?.nextRetryAt as number) - Date.now()).toBe(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    login();
    expect(client.state).toBe('connected');
    client.stop();
  });

  it('INFR-05: a 4529 whose reason is not a delay is an ordinary failure with backoff', async () => {
    const { client, states, last } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    last().serverClose(4529, 'soon');
    expect(states.at(-1)).toMatchObject({ state: 'backing-off', reason: 'SERVER_CLOSED' });
    expect((states.at(-1)?.nextRetryAt as number) - Date.now()).toBe(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    last().serverClose(4529, '');
    expect((states.at(-1)?.nextRetryAt as number) - Date.now()).toBe(4_000);
    client.stop();
  });

  it('INFR-05: every fatal close code of the protocol has its own error, and no other code is fatal', () => {
    expect([...FATAL_CLOSE_ERRORS.keys()].sort()).toEqual([...FATAL_CLOSE_CODES].sort());
  });

  it('INFR-05: a socket the client gives up on is closed with its own named code, and retried', async () => {
    const { client, sockets, last } = setup({ connectTimeoutMs: 1_000 });
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    const first = last();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first.closedWith).toBe(CLIENT_GAVE_UP_CLOSE_CODE);
    expect(client.status).toMatchObject({ state: 'backing-off', reason: 'CONNECT_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets.length).toBeGreaterThan(1);
    client.stop();
  });

  it('INFR-04: a server announcing another identity is refused before any proof is sent', async () => {
    const { client, sockets, last } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    last().open();
    last().receive(hello('wss://evil.example'));
    expect(last().sent).toEqual([]);
    expect(client.status).toMatchObject({ state: 'failed', reason: 'SERVER_IDENTITY_MISMATCH' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('INFR-04: ws:// to a non-loopback host is refused; wss:// and loopback ws:// are accepted', () => {
    const make = (url: string, allowInsecureRemote = false) => () =>
      new SignalingClient({ urls: [url], signer: identity, loginStatus: () => 'online', allowInsecureRemote });
    expect(make('ws://chat.example.org')).toThrow(expect.objectContaining({ code: 'INSECURE_SERVER_URL' }));
    expect(make('ws://192.168.1.5:7717')).toThrow(expect.objectContaining({ code: 'INSECURE_SERVER_URL' }));
    expect(make('http://127.0.0.1')).toThrow(expect.objectContaining({ code: 'BAD_SERVER_URL' }));
    expect(make('wss://chat.example.org')).not.toThrow();
    expect(make('ws://127.0.0.1:7717')).not.toThrow();
    expect(make('ws://[::1]:7717')).not.toThrow();
    expect(make('ws://localhost:7717')).not.toThrow();
    expect(make('ws://chat.example.org', true)).not.toThrow();
  });

  it('INFR-05: a silent server is detected by the heartbeat watchdog and the client reconnects', async () => {
    const { client, sockets, last, login, states } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login(2_000);
    // The client pings; a live server answers, which keeps the link alive.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(last().sent.some((m) => (m as { type: string }).type === 'heartbeat.ping')).toBe(true);
    last().receive({ type: 'heartbeat.pong', t: Date.now() });
    expect(client.state).toBe('connected');
    // Then the server goes silent.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(states.some((s) => s.reason === 'HEARTBEAT_TIMEOUT')).toBe(true);
    expect(sockets[0]?.closedWith).not.toBeNull();
    client.stop();
  });

  it('INFR-05: a wall-clock jump (sleep/wake) forces an immediate reconnect', async () => {
    const { client, sockets, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login();
    vi.setSystemTime(Date.now() + 10 * 60_000); // the laptop slept for ten minutes
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sockets).toHaveLength(2);
    expect(client.state).toBe('connecting');
    client.stop();
  });

  it('a socket that never opens times out and is retried', async () => {
    const { client, sockets, states } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250 + 10_000);
    expect(states.at(-1)).toMatchObject({ state: 'backing-off', reason: 'CONNECT_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sockets).toHaveLength(2);
    client.stop();
  });

  it('moves on to the next server URL after a failure', async () => {
    const { client, sockets } = setup({ urls: [URL_A, 'ws://127.0.0.1:7718'] });
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    sockets[0]?.serverClose(1006);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sockets.map((s) => s.url)).toEqual([URL_A, 'ws://127.0.0.1:7718']);
    client.stop();
  });

  it('ignores malformed and unknown frames (lenient client) and emits known ones', async () => {
    const { client, last, login } = setup();
    const messages: string[] = [];
    client.on('message', (e) => messages.push(e.message.type));
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login();
    last().receiveRaw('not json');
    last().receive({ type: 'future.feature', x: 1 });
    last().receive({ type: 'presence.update', publicKey: 'short', status: 'online' });
    last().receive({ type: 'presence.update', publicKey: bytesToBase64url(new Uint8Array(32)), status: 'busy' });
    expect(messages).toEqual(['presence.update']);
    expect(client.state).toBe('connected');
    client.stop();
  });

  it('send() refuses when not connected instead of queueing', () => {
    const { client } = setup();
    expect(client.send({ type: 'presence.set', status: 'busy' })).toBe(false);
  });

  it('retryNow() skips the wait and restarts after a failure', async () => {
    const { client, sockets, last } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    last().serverClose(1006);
    expect(client.state).toBe('backing-off');
    client.retryNow();
    expect(sockets).toHaveLength(2);
    last().open();
    last().receive(hello());
    last().serverClose(4401);
    expect(client.state).toBe('failed');
    client.retryNow();
    expect(sockets).toHaveLength(3);
    client.stop();
    expect(client.state).toBe('disconnected');
  });

  it('INFR-05: events from a replaced socket never touch the new session', async () => {
    const { client, sockets, last, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login();
    const old = last();
    old.serverClose(1006);
    await vi.advanceTimersByTimeAsync(2_000);
    login();
    expect(sockets).toHaveLength(2);
    // The old socket speaks again (late frames, a late close): the new session must not care.
    old.receive(hello());
    old.receive({ type: 'presence.update', publicKey: bytesToBase64url(new Uint8Array(32)), status: 'busy' });
    old.serverClose(1006);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.state).toBe('connected');
    expect(old.sent.filter((m) => (m as { type: string }).type === 'auth.proof')).toHaveLength(1);
    client.stop();
  });

  it('stop() leaves no timer behind, whatever the state', async () => {
    for (const stage of ['jitter', 'connecting', 'authenticating', 'connected', 'backing-off'] as const) {
      const { client, last, login } = setup();
      client.start();
      if (stage !== 'jitter') await vi.advanceTimersByTimeAsync(250);
      if (stage === 'authenticating') last().open();
      if (stage === 'connected') login();
      if (stage === 'backing-off') last().serverClose(1006);
      client.stop();
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount(), stage).toBe(0);
      expect(client.state).toBe('disconnected');
    }
  });

  it('stop() from a "connected" listener wins: no connected event, no watchdog', async () => {
    const { client, login } = setup();
    const connected = vi.fn();
    client.on('stateChanged', (e) => e.state === 'connected' && client.stop());
    client.on('connected', connected);
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login();
    await vi.advanceTimersByTimeAsync(0);
    expect(connected).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('INFR-04: presence frames before the login completes are not passed on', async () => {
    const { client, last } = setup();
    const messages = vi.fn();
    client.on('message', messages);
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    last().open();
    last().receive({ type: 'presence.update', publicKey: bytesToBase64url(new Uint8Array(32)), status: 'online' });
    last().receive(hello());
    last().receive({ type: 'presence.snapshot', contacts: [] });
    expect(messages).not.toHaveBeenCalled();
    client.stop();
  });

  it('INFR-05: setting the system clock back does not hide a dead link', async () => {
    const { client, states, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login(2_000);
    vi.setSystemTime(Date.now() - 30 * 60_000);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(states.some((s) => s.reason === 'HEARTBEAT_TIMEOUT')).toBe(true);
    client.stop();
  });

  it('INFR-05: an absurd heartbeat interval from the server is clamped, so pings and the timeout still work', async () => {
    const { client, last, states, login } = setup();
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login(Number.MAX_SAFE_INTEGER);
    await vi.advanceTimersByTimeAsync(125_000);
    expect(last().sent.some((m) => (m as { type: string }).type === 'heartbeat.ping')).toBe(true);
    await vi.advanceTimersByTimeAsync(250_000);
    expect(states.some((s) => s.reason === 'HEARTBEAT_TIMEOUT')).toBe(true);
    client.stop();
  });

  it('INFR-05: the connected event carries the status the login proof used', async () => {
    let status: 'online' | 'invisible' = 'invisible';
    const { client, login } = setup({ loginStatus: () => status });
    const connected = vi.fn();
    client.on('connected', connected);
    client.start();
    await vi.advanceTimersByTimeAsync(250);
    login();
    status = 'online';
    expect(connected).toHaveBeenCalledWith(expect.objectContaining({ loginStatus: 'invisible' }));
    client.stop();
  });
});

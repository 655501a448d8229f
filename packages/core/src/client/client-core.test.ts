import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToBase64url, type ServerMessage } from '@discordopus/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket, welcomeMessage } from '../signaling/fake-socket.test-helper';
import { TEST_ONLY_CHEAP_SCRYPT } from '../vault/kdf';
import { Vault } from '../vault/vault';
import { createClientCore } from './create-client-core';

const URL_A = 'ws://127.0.0.1:7717';
let dir: string;
let vault: Vault;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dop-net-'));
  vault = await Vault.create({ dir: join(dir, 'p'), passphrase: 'correct horse battery staple', displayName: 'Alice', kdf: TEST_ONLY_CHEAP_SCRYPT });
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vault.close();
  rmSync(dir, { recursive: true, force: true });
});

function welcome(iceExpiresAtMs: number | null): ServerMessage {
  return welcomeMessage(vault.identity.publicKey, {
    iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }],
    iceExpiresAtMs,
  });
}

async function connected(iceExpiresAtMs: number | null) {
  const sockets: FakeSocket[] = [];
  const service = createClientCore({
    vault,
    random: () => 0,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      // A live server: every heartbeat ping is answered.
      const send = s.send.bind(s);
      s.send = (data: string) => {
        send(data);
        const m = JSON.parse(data) as { type: string; t?: number };
        if (m.type === 'heartbeat.ping') queueMicrotask(() => s.receive({ type: 'heartbeat.pong', t: m.t ?? 0 }));
      };
      sockets.push(s);
      return s;
    },
  });
  const connections: string[] = [];
  service.on('connectionChanged', (e) => connections.push(e.state));
  service.start();
  await vi.advanceTimersByTimeAsync(0);
  const socket = sockets[0] as FakeSocket;
  socket.open();
  socket.receive({ type: 'auth.hello', protocolVersion: 1, serverId: URL_A, nonce: bytesToBase64url(new Uint8Array(32)), authDeadlineMs: 5000 });
  socket.receive(welcome(iceExpiresAtMs));
  const iceRequests = () => socket.sent.filter((m) => (m as { type: string }).type === 'ice.request').length;
  return { service, socket, iceRequests, connections, sockets };
}

describe('client core: ICE refresh and lifecycle (INFR-02, INFR-05)', () => {
  it('INFR-02: asks for fresh TURN credentials before they expire, once per expiry', async () => {
    const { service, socket, iceRequests } = await connected(Date.now() + 3_600_000);
    expect(service.iceConfiguration.iceServers[0]?.urls).toEqual(['turn:127.0.0.1:3478']);
    await vi.advanceTimersByTimeAsync(3_540_000 - 1);
    expect(iceRequests()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(iceRequests()).toBe(1);
    socket.receive({ type: 'ice.servers', iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u2', credential: 'c2' }], iceExpiresAtMs: Date.now() + 3_600_000 });
    expect(service.iceConfiguration.iceServers[0]?.username).toBe('u2');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(iceRequests()).toBe(1);
    expect(service.connection.state).toBe('connected');
    service.stop();
  });

  it('INFR-02: short-lived or already-expired credentials never cause a request loop', async () => {
    const { service, iceRequests } = await connected(Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(iceRequests()).toBe(1); // at half the lifetime, not every second
    service.stop();
    const again = await connected(Date.now() - 5_000);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(again.iceRequests()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(again.iceRequests()).toBe(1);
    again.service.stop();
  });

  it('INFR-02: an expiry beyond the timer range waits instead of firing at once', async () => {
    const { service, iceRequests } = await connected(Date.now() + 40 * 24 * 3_600_000);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(iceRequests()).toBe(0);
    expect(service.connection.state).toBe('connected');
    service.stop();
  });

  it('stop() emits disconnected once and leaves no timer', async () => {
    const { service, connections } = await connected(Date.now() + 3_600_000);
    connections.length = 0;
    service.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(connections).toEqual(['disconnected']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('INFR-04: --insecure for one run does not change the stored setting', async () => {
    vault.settings.set('network.signalingUrls', ['ws://chat.example.org:7717']);
    const service = createClientCore({ vault, allowInsecureRemote: true, random: () => 0, createSocket: (url) => new FakeSocket(url) });
    service.start();
    expect(service.connection.state).toBe('connecting');
    expect(vault.settings.get('network.allowInsecureRemote')).toBe(false);
    service.stop();
  });
});

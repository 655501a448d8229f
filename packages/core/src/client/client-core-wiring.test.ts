import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToBase64url, type ClientMessage } from '@discordopus/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Identity } from '../identity/identity';
import { IceManager } from '../ice/ice-manager';
import type { LinkManager } from '../links/link-manager';
import { silentLogger } from '../logging/logger';
import { systemClock } from '../signaling/clock';
import { PresenceManager } from '../presence/presence-manager';
import { FakeSocket, welcomeMessage } from '../signaling/fake-socket.test-helper';
import { SignalingClient } from '../signaling/signaling-client';
import { TEST_ONLY_CHEAP_SCRYPT } from '../vault/kdf';
import { Vault } from '../vault/vault';
import { ClientCore, type SignalingServers } from './client-core';
import type { ClientCoreEvents, SignalHandler } from './client-core-events';
import { createClientCore } from './create-client-core';

const URL_A = 'ws://127.0.0.1:7717';
const URL_B = 'ws://127.0.0.1:7718';
/** Every event the root can emit; `satisfies` makes the compiler add new ones here. */
const ROOT_EVENTS = Object.keys({
  connectionChanged: true,
  presenceChanged: true,
  presenceReset: true,
  statusChanged: true,
  iceChanged: true,
  linkChanged: true,
  linkSecurityWarning: true,
  messageAdded: true,
  messageUpdated: true,
  messageReceipt: true,
  unreadChanged: true,
  typingChanged: true,
  fileOffered: true,
  fileProgress: true,
  fileStateChanged: true,
  fileInterrupted: true,
  callFrame: true,
} satisfies Record<keyof ClientCoreEvents, true>) as (keyof ClientCoreEvents)[];

let dir: string;
let vault: Vault;
let sockets: FakeSocket[];
const bob = Identity.create('Bob');
const bobHex = Buffer.from(bob.publicKey).toString('hex');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dop-root-'));
  vault = await Vault.create({ dir: join(dir, 'p'), passphrase: 'correct horse battery staple', displayName: 'Alice', kdf: TEST_ONLY_CHEAP_SCRYPT });
  sockets = [];
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vault.close();
  rmSync(dir, { recursive: true, force: true });
});

function createSocket(url: string): FakeSocket {
  const s = new FakeSocket(url);
  sockets.push(s);
  return s;
}

const last = () => sockets.at(-1) as FakeSocket;
const sentOf = (s: FakeSocket, type: string) => (s.sent as ClientMessage[]).filter((m) => m.type === type);

/** Complete the newest socket's login, as a server at `serverId` would. */
async function login(serverId = URL_A): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
  last().open();
  last().receive({ type: 'auth.hello', protocolVersion: 1, serverId, nonce: bytesToBase64url(new Uint8Array(32)), authDeadlineMs: 5000 });
  last().receive(welcomeMessage(vault.identity.publicKey));
}

/** A root built by hand from injected parts, recording what it asked of them. */
function handBuilt(servers: SignalingServers = { urls: [URL_A], allowInsecureRemote: false }) {
  const built: SignalingServers[] = [];
  const presence = new PresenceManager({
    contacts: {
      publicKeysHex: () => vault.contacts.publicKeys(),
      presenceOf: (key) => vault.contacts.presenceOf(key),
      updatePresence: (key, status, lastSeenAt) => void vault.contacts.updatePresence(key, status, lastSeenAt),
      markAllUnknown: () => vault.contacts.markAllUnknown(),
      batch: (fn) => vault.contacts.batch(fn),
    },
    ownStatus: { get: () => vault.settings.get('presence.status'), set: (s) => vault.settings.set('presence.status', s) },
  });
  const ice = new IceManager({ user: { servers: () => [], relayOnly: () => false } });
  const core = new ClientCore({
    signer: vault.identity,
    contacts: vault.contacts,
    settings: vault.settings,
    presence,
    ice,
    signalingServers: () => servers,
    createSignaling: (s) => {
      built.push(s);
      return new SignalingClient({ urls: s.urls, signer: vault.identity, loginStatus: () => presence.status, random: () => 0, createSocket });
    },
    links: null,
    messages: vault.messages,
    clock: systemClock,
    setDisplayName: (name) => vault.setDisplayName(name).displayName,
    logger: silentLogger,
  });
  return { core, built, presence, ice };
}

describe('ClientCore: the composition root (issue #11; INFR-01, PRES-02, P2P-01)', () => {
  it('builds its graph from the injected parts: servers → signaling, presence → socket, welcome ICE → configuration', async () => {
    vault.contacts.add(bob.userId);
    const { core, built } = handBuilt();
    const ice: unknown[] = [];
    core.on('iceChanged', (e) => ice.push(e));
    core.start();
    expect(built).toEqual([{ urls: [URL_A], allowInsecureRemote: false }]);
    await login();
    expect(core.connection.state).toBe('connected');
    // The presence part's outgoing intent went out on the signaling part's socket.
    expect(sentOf(last(), 'contacts.set')).toEqual([{ type: 'contacts.set', contacts: [bytesToBase64url(bob.publicKey)] }]);
    // The welcome's ICE servers reached the ICE part, and through it the root's configuration.
    expect(core.iceConfiguration.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
    expect(ice).toHaveLength(1);
    expect(core.signer.publicKey).toEqual(vault.identity.publicKey);
    core.stop();
  });

  it('PRES-02: one presence change is one event from the root (the store’s own event is not repeated)', async () => {
    vault.contacts.add(bob.userId);
    const core = createClientCore({ vault, random: () => 0, createSocket });
    const events: string[] = [];
    for (const name of ROOT_EVENTS) core.on(name, () => events.push(name));
    core.start();
    await login();
    last().receive({ type: 'presence.snapshot', contacts: [] });
    events.length = 0;
    last().receive({ type: 'presence.update', publicKey: bytesToBase64url(bob.publicKey), status: 'away' });
    expect(events).toEqual(['presenceChanged']);
    expect(core.contacts.presenceOf(bobHex)).toBe('away');
    expect(core.contacts.isReachable(bobHex)).toBe(true);
    core.stop();
  });

  it('P2P-01: relayed signals and signal errors reach the attached handler; sendSignal goes out as signal.send', async () => {
    vault.contacts.add(bob.userId);
    // Without links, so the test is the handler (with links, the link manager is attached).
    const core = createClientCore({ vault, random: () => 0, createSocket, links: null });
    const received: unknown[] = [];
    const handler: SignalHandler = {
      handleSignal: (e) => received.push({ signal: e }),
      handleSignalError: (e) => received.push({ error: e }),
    };
    expect(core.sendSignal(bobHex, 'offer')).toMatchObject({ sent: false, reason: 'NOT_CONNECTED' });
    core.start();
    await login();
    // Before a handler is attached, a relayed signal is dropped (and nothing breaks).
    last().receive({ type: 'signal.relay', from: bytesToBase64url(bob.publicKey), payload: 'early' });
    const detach = core.attachSignalHandler(handler);
    expect(() => core.attachSignalHandler(handler)).toThrow(expect.objectContaining({ code: 'SIGNAL_HANDLER_ATTACHED' }));

    last().receive({ type: 'signal.relay', from: bytesToBase64url(bob.publicKey), payload: 'hello' });
    const sent = core.sendSignal(bobHex, 'answer');
    expect(sent).toEqual({ sent: true, id: expect.any(String) });
    expect(sentOf(last(), 'signal.send')).toEqual([
      { type: 'signal.send', id: sent.sent ? sent.id : '', to: bytesToBase64url(bob.publicKey), payload: 'answer' },
    ]);
    last().receive({ type: 'signal.error', id: sent.sent ? sent.id : null, code: 'TARGET_OFFLINE' });
    expect(received).toEqual([
      { signal: { from: bobHex, payload: 'hello' } },
      { error: { id: sent.sent ? sent.id : null, code: 'TARGET_OFFLINE' } },
    ]);

    expect(core.sendSignal('abcd', 'x')).toMatchObject({ sent: false, reason: 'BAD_TARGET' });
    expect(core.sendSignal(bobHex, 'x'.repeat(200_000))).toMatchObject({ sent: false, reason: 'TOO_LARGE' });
    detach();
    last().receive({ type: 'signal.relay', from: bytesToBase64url(bob.publicKey), payload: 'after' });
    expect(received).toHaveLength(2);
    core.stop();
  });

  it('P2P-01: the link manager starts with the stored idle period and follows the setting', () => {
    vault.settings.set('links.idleCloseMs', 120_000);
    const built: LinkManager[] = [];
    const core = createClientCore({ vault, random: () => 0, createSocket, links: { onCreated: (m) => built.push(m) } });
    expect(built.map((m) => m.idleTimeoutMs)).toEqual([120_000]);
    core.start();
    vault.settings.set('links.idleCloseMs', 45_000);
    expect(built[0]?.idleTimeoutMs).toBe(45_000);
    // Out of bounds: refused by the setting, the manager keeps its period.
    expect(() => vault.settings.set('links.idleCloseMs', 5)).toThrow(expect.objectContaining({ code: 'INVALID_SETTING' }));
    expect(built[0]?.idleTimeoutMs).toBe(45_000);
    core.stop();
  });

  it('INFR-01: the server list comes from an explicit source; refreshServers() moves only when it changed', async () => {
    let override: readonly string[] | null = [URL_B];
    const core = createClientCore({ vault, random: () => 0, createSocket, signalingUrls: () => override });
    core.start();
    await login(URL_B);
    expect(sockets.map((s) => s.url)).toEqual([URL_B]);
    // Nothing was written to the profile.
    expect(vault.settings.get('network.signalingUrls')).toEqual([URL_A]);

    core.refreshServers();
    expect(sockets).toHaveLength(1);
    expect(core.connection.state).toBe('connected');

    override = null;
    core.refreshServers();
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets.map((s) => s.url)).toEqual([URL_B, URL_A]);
    expect(sockets[0]?.closedWith).not.toBeNull();
    core.stop();
  });
});

import { base64urlToBytes, bytesToBase64url, type ServerMessage } from '@discordopus/protocol';
import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Identity } from '../src/identity/identity';
import { SignalingClient } from '../src/signaling/signaling-client';
import { waitFor } from './harness/server-process';
import { befriend, cleanupProfiles, createProfile, presenceSeen, type TestProfile } from './harness/profiles';

let server: RunningServer;
const running: TestProfile[] = [];

async function profile(name: string, urls = [server.url]): Promise<TestProfile> {
  const p = await createProfile(name, urls);
  running.push(p);
  return p;
}

beforeEach(async () => {
  server = await startSignalingServer({ port: 0, offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
});

afterEach(async () => {
  for (const p of running.splice(0)) {
    try {
      p.shutdown();
    } catch {
      // already shut down by the test
    }
  }
  await server.close();
  cleanupProfiles();
});

describe('client core against the real signaling server (PRES-01..03, INFR-01)', () => {
  it('PRES-02, PRES-03: mutual contacts follow each other’s status; a non-mutual profile sees nothing', async () => {
    const alice = await profile('alice');
    const bob = await profile('bob');
    const carol = await profile('carol');
    befriend(alice, bob);
    carol.vault.contacts.add(alice.vault.identity.userId); // carol lists alice; alice does not list carol

    await waitFor(() => presenceSeen(alice, bob) === 'online' && presenceSeen(bob, alice) === 'online', 'alice and bob online to each other');
    await waitFor(() => presenceSeen(carol, alice) === 'offline', 'carol told alice is offline');

    for (const [status, shown] of [
      ['away', 'away'],
      ['busy', 'busy'],
      ['invisible', 'offline'],
      ['online', 'online'],
    ] as const) {
      bob.core.setStatus(status);
      await waitFor(() => presenceSeen(alice, bob) === shown, `alice sees bob ${shown}`);
      // The vault row follows too, with a last-seen time while visible.
      const row = alice.vault.contacts.get(bob.publicKeyHex);
      expect(row?.onlineStatus).toBe(shown);
      expect(row?.lastSeenAt).not.toBeNull();
    }
    alice.core.setStatus('busy');
    await waitFor(() => presenceSeen(bob, alice) === 'busy', 'bob sees alice busy');

    // Carol never learned anything about alice beyond "offline".
    expect(carol.presenceLog.filter((e) => e.publicKey === alice.publicKeyHex).map((e) => e.status)).toEqual(['offline']);
    expect(presenceSeen(carol, alice)).toBe('offline');
    // Alice's own view of her status is what she set, and it is stored in her vault.
    expect(alice.vault.settings.get('presence.status')).toBe('busy');
  });

  it('PRES-01: the status survives a restart and is announced at login (invisible never flashes online)', async () => {
    const alice = await profile('alice');
    let bob = await profile('bob');
    befriend(alice, bob);
    await waitFor(() => presenceSeen(alice, bob) === 'online', 'alice sees bob online');

    bob.core.setStatus('invisible');
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'alice sees invisible bob as offline');
    bob.shutdown();
    alice.presenceLog.length = 0;

    bob = await bob.restart();
    running.push(bob);
    await waitFor(() => bob.core.connection.state === 'connected', 'bob reconnected');
    expect(bob.core.status).toBe('invisible');
    // Give the server a round trip with alice so any leak would have arrived.
    alice.core.setStatus('away');
    await waitFor(() => presenceSeen(bob, alice) === 'away', 'bob sees alice away');
    expect(alice.presenceLog.filter((e) => e.publicKey === bob.publicKeyHex && e.status !== 'offline')).toEqual([]);

    bob.core.setStatus('busy');
    await waitFor(() => presenceSeen(alice, bob) === 'busy', 'alice sees bob busy');
    bob.shutdown();
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'alice sees bob leave');
    alice.presenceLog.length = 0;
    bob = await bob.restart();
    running.push(bob);
    await waitFor(() => presenceSeen(alice, bob) === 'busy', 'alice sees restarted bob busy');
    expect(alice.presenceLog.filter((e) => e.publicKey === bob.publicKeyHex).map((e) => e.status)).toEqual(['busy']);
  });

  it('PRES-03: adding a contact later uploads the list and presence appears; removing hides it again', async () => {
    const alice = await profile('alice');
    const bob = await profile('bob');
    await waitFor(() => alice.core.connection.state === 'connected' && bob.core.connection.state === 'connected', 'both connected');
    alice.vault.contacts.add(bob.vault.identity.userId);
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'not mutual yet: offline');
    bob.vault.contacts.add(alice.vault.identity.userId);
    await waitFor(() => presenceSeen(alice, bob) === 'online', 'mutual now: online');
    bob.vault.contacts.remove(alice.publicKeyHex);
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'no longer mutual: offline');
  });

  it('PRES-02: losing the server turns every contact unknown instead of stale online', async () => {
    const alice = await profile('alice');
    const bob = await profile('bob');
    befriend(alice, bob);
    await waitFor(() => presenceSeen(alice, bob) === 'online', 'alice sees bob');
    await server.close();
    await waitFor(() => alice.core.connection.state === 'backing-off', 'alice backing off');
    expect(presenceSeen(alice, bob)).toBe('unknown');
  });

  it('INFR-01, UI-02: changing the server URL in settings reconnects to the new server', async () => {
    const other = await startSignalingServer({ port: 0, offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
    try {
      const alice = await profile('alice');
      await waitFor(() => alice.core.connection.state === 'connected', 'alice connected');
      expect(other.connectionCount()).toBe(0);
      alice.vault.settings.set('network.signalingUrls', [other.url]);
      await waitFor(() => alice.core.connection.state === 'connected' && other.connectionCount() === 1, 'alice on the other server');
      await waitFor(() => server.connectionCount() === 0, 'old server released');
    } finally {
      await other.close();
    }
  });

  it('INFR-02: the ICE list merges the server’s STUN with the user’s servers', async () => {
    await server.close();
    server = await startSignalingServer(
      { port: 0, offlineGraceMs: 0, logLevel: 'silent', stunUrls: ['stun:127.0.0.1:3478'] },
      { processMetrics: false },
    );
    const alice = await profile('alice');
    await waitFor(() => alice.core.connection.state === 'connected', 'alice connected');
    await waitFor(() => alice.core.iceConfiguration.iceServers.some((s) => s.urls.includes('stun:127.0.0.1:3478')), 'server STUN in the list');
    alice.vault.settings.set('network.relayOnly', true);
    expect(alice.core.iceConfiguration).toEqual({ iceServers: [], iceTransportPolicy: 'relay' });
  });

  it('PRES-03: a non-mutual client receives no frame at all about a user, through every status', async () => {
    const alice = await profile('alice');
    const bob = await profile('bob');
    befriend(alice, bob);
    // Carol is a bare client so every frame she receives can be inspected; she lists alice.
    const carol = Identity.create('Carol');
    const frames: ServerMessage[] = [];
    const client = new SignalingClient({ urls: [server.url], signer: carol, loginStatus: () => 'online', random: () => 0 });
    client.on('message', (e) => frames.push(e.message));
    client.on('connected', () => client.send({ type: 'contacts.set', contacts: [bytesToBase64url(alice.vault.identity.publicKey)] }));
    client.start();
    try {
      await waitFor(() => frames.some((f) => f.type === 'presence.snapshot'), 'carol got her snapshot');
      await waitFor(() => presenceSeen(bob, alice) === 'online', 'bob sees alice');
      for (const status of ['away', 'busy', 'invisible', 'online', 'away'] as const) {
        alice.core.setStatus(status);
        const shown = status === 'invisible' ? 'offline' : status;
        await waitFor(() => presenceSeen(bob, alice) === shown, `bob sees alice ${shown}`);
      }
      const aliceKey = alice.publicKeyHex;
      alice.shutdown();
      await waitFor(() => presenceSeen(bob, alice) === 'offline', 'bob sees alice leave');
      const aboutAlice = frames.filter((f) => {
        if (f.type === 'presence.update') return Buffer.from(base64urlToBytes(f.publicKey)).toString('hex') === aliceKey;
        if (f.type === 'presence.snapshot') return f.contacts.length > 0;
        return false;
      });
      expect(aboutAlice).toEqual([]);
      expect(frames.filter((f) => f.type === 'presence.snapshot')).toEqual([{ type: 'presence.snapshot', contacts: [] }]);
    } finally {
      client.stop();
    }
  });

  it('PRES-01: a burst of status changes beyond the server budget still ends at the last choice', async () => {
    const alice = await profile('alice');
    const bob = await profile('bob');
    befriend(alice, bob);
    await waitFor(() => presenceSeen(alice, bob) === 'online', 'alice sees bob');
    const burst = ['away', 'busy', 'online', 'away', 'busy', 'online', 'away', 'busy', 'online', 'away', 'busy', 'invisible'] as const;
    for (const status of burst) bob.core.setStatus(status);
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'alice sees bob invisible (offline)', 15_000);
    bob.core.setStatus('busy');
    await waitFor(() => presenceSeen(alice, bob) === 'busy', 'and busy afterwards', 15_000);
  });

  it('PRES-02: last seen is stored in the vault and survives reopening it', async () => {
    const alice = await profile('alice');
    const bob = await profile('bob');
    befriend(alice, bob);
    await waitFor(() => presenceSeen(alice, bob) === 'online', 'alice sees bob');
    const firstSeen = alice.vault.contacts.get(bob.publicKeyHex)?.lastSeenAt ?? 0;
    expect(firstSeen).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 5));
    bob.shutdown();
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'alice sees bob leave');
    const lastSeen = alice.vault.contacts.get(bob.publicKeyHex)?.lastSeenAt ?? 0;
    expect(lastSeen).toBeGreaterThan(firstSeen);
    alice.shutdown();
    running.splice(running.indexOf(alice), 1);
    const reopened = await alice.restart();
    running.push(reopened);
    expect(reopened.vault.contacts.get(bob.publicKeyHex)?.lastSeenAt).toBe(lastSeen);
  });
});

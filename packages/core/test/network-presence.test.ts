import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
      bob.service.setStatus(status);
      await waitFor(() => presenceSeen(alice, bob) === shown, `alice sees bob ${shown}`);
      // The vault row follows too, with a last-seen time while visible.
      const row = alice.vault.contacts.get(bob.publicKeyHex);
      expect(row?.onlineStatus).toBe(shown);
      expect(row?.lastSeenAt).not.toBeNull();
    }
    alice.service.setStatus('busy');
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

    bob.service.setStatus('invisible');
    await waitFor(() => presenceSeen(alice, bob) === 'offline', 'alice sees invisible bob as offline');
    bob.shutdown();
    alice.presenceLog.length = 0;

    bob = await bob.restart();
    running.push(bob);
    await waitFor(() => bob.service.connection.state === 'connected', 'bob reconnected');
    expect(bob.service.status).toBe('invisible');
    // Give the server a round trip with alice so any leak would have arrived.
    alice.service.setStatus('away');
    await waitFor(() => presenceSeen(bob, alice) === 'away', 'bob sees alice away');
    expect(alice.presenceLog.filter((e) => e.publicKey === bob.publicKeyHex && e.status !== 'offline')).toEqual([]);

    bob.service.setStatus('busy');
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
    await waitFor(() => alice.service.connection.state === 'connected' && bob.service.connection.state === 'connected', 'both connected');
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
    await waitFor(() => alice.service.connection.state === 'backing-off', 'alice backing off');
    expect(presenceSeen(alice, bob)).toBe('unknown');
  });

  it('INFR-01, UI-02: changing the server URL in settings reconnects to the new server', async () => {
    const other = await startSignalingServer({ port: 0, offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
    try {
      const alice = await profile('alice');
      await waitFor(() => alice.service.connection.state === 'connected', 'alice connected');
      expect(other.connectionCount()).toBe(0);
      alice.vault.settings.set('network.signalingUrls', [other.url]);
      await waitFor(() => alice.service.connection.state === 'connected' && other.connectionCount() === 1, 'alice on the other server');
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
    await waitFor(() => alice.service.connection.state === 'connected', 'alice connected');
    await waitFor(() => alice.service.iceConfiguration.iceServers.some((s) => s.urls.includes('stun:127.0.0.1:3478')), 'server STUN in the list');
    alice.vault.settings.set('network.relayOnly', true);
    expect(alice.service.iceConfiguration).toEqual({ iceServers: [], iceTransportPolicy: 'relay' });
  });
});

import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, removeTempHomes, tempHome, type TestSession } from './helpers/sessions';
import { waitUntil } from './helpers/wait';

const PASSPHRASE = 'purple tiger drinks tea';
let server: RunningServer;
let home: string;
const opened: TestSession[] = [];

function session(profile: string, serverUrls: () => readonly string[] | null = () => [server.url]): TestSession {
  const s = openSession({ home, profile, serverUrls });
  opened.push(s);
  return s;
}

async function created(profile: string, displayName: string): Promise<TestSession> {
  const s = session(profile);
  await s.call('profile.create', { displayName, passphrase: PASSPHRASE });
  return s;
}

function statusOf(viewer: TestSession, publicKey: string): string | undefined {
  return viewer.session.vault?.contacts.get(publicKey)?.onlineStatus;
}

beforeEach(async () => {
  home = tempHome();
  server = await startSignalingServer({ port: 0, host: '127.0.0.1', offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
});

afterEach(async () => {
  for (const s of opened.splice(0)) await s.session.close();
  await server.close();
  removeTempHomes();
});

describe('CoreSession: profile lifecycle (IDEN-01, IDEN-03, VAULT-02)', () => {
  it('IDEN-01: no profile, then create opens it and connects; a restart finds it locked', async () => {
    const first = session('alice');
    expect(await first.call('session.state', {})).toEqual({ state: 'no-profile', profileName: 'alice' });
    await expect(first.call('contacts.list', {})).rejects.toMatchObject({ code: 'VAULT_CLOSED' });

    const identity = await first.call('profile.create', { displayName: 'Alice', passphrase: PASSPHRASE });
    expect(identity.displayName).toBe('Alice');
    expect(identity.userId).toMatch(/^dopus1/);
    expect(first.last('session.changed')).toEqual({ state: 'unlocked', profileName: 'alice' });
    await waitUntil(() => first.last('connection.changed')?.state === 'connected', 'connected');
    expect(await first.call('connection.state', {})).toMatchObject({ state: 'connected', serverUrl: server.url, nextRetryAt: null });
    await expect(first.call('profile.create', { displayName: 'Again', passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
    await first.session.close();
    await expect(first.call('identity.get', {})).rejects.toMatchObject({ code: 'SESSION_CLOSED' });

    const second = session('alice');
    expect((await second.call('session.state', {})).state).toBe('locked');
    await expect(second.call('profile.unlock', { passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect((await second.call('session.state', {})).state).toBe('locked');
    expect(await second.call('profile.unlock', { passphrase: PASSPHRASE })).toEqual(identity);
    expect((await second.call('session.state', {})).state).toBe('unlocked');
    // A second window must know the passphrase too.
    await expect(second.call('profile.unlock', { passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    expect(await second.call('profile.unlock', { passphrase: PASSPHRASE })).toEqual(identity);
  });

  it('VAULT-04: a profile open in one session cannot be unlocked by another (a second launcher)', async () => {
    await created('alice', 'Alice');
    const second = session('alice');
    expect((await second.call('session.state', {})).state).toBe('locked');
    await expect(second.call('profile.unlock', { passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'PROFILE_IN_USE' });
  });

  it('IDEN-03: exports a backup under the profile passphrase and restores it into a new profile', async () => {
    const alice = await created('alice', 'Alice');
    await expect(alice.call('profile.exportBackup', { passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const backup = await alice.call('profile.exportBackup', { passphrase: PASSPHRASE });
    expect(backup.fileName).toBe('alice.dopus-backup');

    const restored = session('alice-laptop');
    await expect(
      restored.call('profile.restore', { backupBase64: backup.backupBase64, backupPassphrase: 'wrong backup passphrase', passphrase: 'another long passphrase' }),
    ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    const identity = await restored.call('profile.restore', {
      backupBase64: backup.backupBase64,
      backupPassphrase: PASSPHRASE,
      passphrase: 'another long passphrase',
      displayName: 'Alice (laptop)',
    });
    expect(identity).toEqual({ userId: (await alice.call('identity.get', {})).userId, displayName: 'Alice (laptop)' });
  });

  it('VAULT-02: changes the passphrase; the old one stops working after a restart', async () => {
    const alice = await created('alice', 'Alice');
    await expect(alice.call('profile.changePassphrase', { current: 'not the passphrase', next: 'a brand new passphrase' })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await alice.call('profile.changePassphrase', { current: PASSPHRASE, next: 'a brand new passphrase' });
    await alice.session.close();
    const again = session('alice');
    await expect(again.call('profile.unlock', { passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await again.call('profile.unlock', { passphrase: 'a brand new passphrase' });
  });
});

describe('CoreSession: contacts and presence over the real server (CONT-01..05, PRES-01, PRES-02)', () => {
  it('CONT-01, PRES-02: mutual contacts see each other online and follow away, busy and invisible', async () => {
    const alice = await created('alice', 'Alice');
    const bob = await created('bob', 'Bob');
    const aliceId = await alice.call('identity.get', {});
    const bobId = await bob.call('identity.get', {});

    // A mistyped last character (never the one already there: that would be no typo at all).
    const typo = `${bobId.userId.slice(0, -1)}${bobId.userId.endsWith('x') ? 'y' : 'x'}`;
    await expect(alice.call('contacts.add', { userId: typo })).rejects.toMatchObject({ code: expect.stringMatching(/^USER_ID_/) });
    const bobForAlice = await alice.call('contacts.add', { userId: bobId.userId, nickname: 'Bobby' });
    expect(bobForAlice).toMatchObject({ nickname: 'Bobby', verified: false });
    expect(bobForAlice.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(alice.last('contacts.changed')?.contacts.map((c) => c.publicKey)).toEqual([bobForAlice.publicKey]);
    const aliceForBob = await bob.call('contacts.add', { userId: ` ${aliceId.userId} ` });
    await expect(bob.call('contacts.add', { userId: aliceId.userId })).rejects.toMatchObject({ code: 'CONTACT_EXISTS' });

    await waitUntil(() => statusOf(alice, bobForAlice.publicKey) === 'online' && statusOf(bob, aliceForBob.publicKey) === 'online', 'both online');
    await waitUntil(
      () => alice.events.some((e) => e.event === 'presence.changed' && (e.payload as { status: string }).status === 'online'),
      'a presence.changed event',
    );

    for (const [status, shown] of [
      ['away', 'away'],
      ['busy', 'busy'],
      ['invisible', 'offline'],
      ['online', 'online'],
    ] as const) {
      const before = alice.events.length;
      expect(await bob.call('presence.setStatus', { status })).toEqual({ status });
      expect(bob.last('status.changed')).toEqual({ status });
      await waitUntil(() => alice.last('presence.changed')?.status === shown, `alice told bob is ${shown}`);
      expect(alice.last('presence.changed')?.publicKey).toBe(bobForAlice.publicKey);
      // One change, one bridge event: not also a contacts.changed, not a second presence.changed.
      expect(alice.events.slice(before).map((e) => e.event)).toEqual(['presence.changed']);
      const listed = (await alice.call('contacts.list', {})).contacts[0];
      expect(listed?.onlineStatus).toBe(shown);
    }
    expect(await bob.call('presence.status', {})).toEqual({ status: 'online' });
  });

  it('CONT-03..05: rename, matching safety numbers, verify and remove', async () => {
    const alice = await created('alice', 'Alice');
    const bob = await created('bob', 'Bob');
    const bobContact = await alice.call('contacts.add', { userId: (await bob.call('identity.get', {})).userId });
    const aliceContact = await bob.call('contacts.add', { userId: (await alice.call('identity.get', {})).userId });

    expect((await alice.call('contacts.rename', { publicKey: bobContact.publicKey, nickname: 'Bobby' })).nickname).toBe('Bobby');
    expect(alice.last('contacts.changed')?.contacts[0]?.nickname).toBe('Bobby');
    expect((await alice.call('contacts.rename', { publicKey: bobContact.publicKey, nickname: null })).nickname).toBeNull();

    const fromAlice = await alice.call('contacts.safetyNumber', { publicKey: bobContact.publicKey });
    const fromBob = await bob.call('contacts.safetyNumber', { publicKey: aliceContact.publicKey });
    expect(fromAlice.digits).toMatch(/^\d{60}$/);
    expect(fromAlice).toEqual(fromBob);
    expect(fromAlice.groups.join('')).toBe(fromAlice.digits);
    await expect(alice.call('contacts.safetyNumber', { publicKey: 'ab'.repeat(32) })).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });

    expect((await alice.call('contacts.setVerified', { publicKey: bobContact.publicKey, verified: true })).verified).toBe(true);
    expect((await alice.call('contacts.setVerified', { publicKey: bobContact.publicKey, verified: false })).verified).toBe(false);

    expect(await alice.call('contacts.remove', { publicKey: bobContact.publicKey })).toBeNull();
    expect(alice.last('contacts.changed')).toEqual({ contacts: [] });
    await expect(alice.call('contacts.remove', { publicKey: bobContact.publicKey })).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
  });
});

describe('CoreSession: settings and the connection (UI-01, UI-02)', () => {
  it('UI-02: theme and servers are settings; choosing servers ends the launcher override and reconnects', async () => {
    const other = await startSignalingServer({ port: 0, host: '127.0.0.1', offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
    try {
      const alice = await created('alice', 'Alice');
      // The override is in force, but nothing was written to the profile.
      // The idle close time of links, the read-receipt choice and the file settings are always reported (P2P-01, MSG-01, FILE-03); relay-only and the LAN switch only when on.
      const files = { downloadsDir: join(home, 'Downloads', 'DiscordOpus'), maxReceiveBytes: 4 * 1024 ** 3, autoAcceptVerifiedMaxBytes: 0 };
      expect(await alice.call('settings.get', {})).toEqual({ signalingUrls: [server.url], theme: 'system', linkIdleCloseMs: 300_000, sendReadReceipts: true, ...files });
      expect(alice.session.vault?.settings.get('network.signalingUrls')).toEqual(['ws://127.0.0.1:7717']);

      expect(await alice.call('settings.set', { theme: 'dark' })).toEqual({ signalingUrls: [server.url], theme: 'dark', linkIdleCloseMs: 300_000, sendReadReceipts: true, ...files });
      expect(alice.last('settings.changed')).toEqual({ signalingUrls: [server.url], theme: 'dark', linkIdleCloseMs: 300_000, sendReadReceipts: true, ...files });

      await waitUntil(() => alice.last('connection.changed')?.state === 'connected', 'connected to the first server');
      expect(await alice.call('settings.set', { signalingUrls: [other.url] })).toEqual({ signalingUrls: [other.url], theme: 'dark', linkIdleCloseMs: 300_000, sendReadReceipts: true, ...files });
      expect(alice.session.vault?.settings.get('network.signalingUrls')).toEqual([other.url]);
      await waitUntil(() => other.connectionCount() === 1, 'connected to the new server');
      await waitUntil(() => alice.last('connection.changed')?.serverUrl === other.url && alice.last('connection.changed')?.state === 'connected', 'indicator on the new server');
      await waitUntil(() => server.connectionCount() === 0, 'left the old server');

      // Without an override, a new URL applies through the setting itself.
      expect((await alice.call('settings.set', { signalingUrls: [server.url] })).signalingUrls).toEqual([server.url]);
      await waitUntil(() => server.connectionCount() === 1 && other.connectionCount() === 0, 'back on the first server');
      // INFR-04: plain ws:// to another machine only with the profile's switch on (issue 15 item 13).
      await expect(alice.call('settings.set', { signalingUrls: ['ws://signal.example.org'] })).rejects.toMatchObject({ code: 'BRIDGE_BAD_PARAMS' });
      expect(await alice.call('settings.set', { allowInsecureRemote: true })).toMatchObject({ allowInsecureRemote: true });
      expect(alice.session.vault?.settings.get('network.allowInsecureRemote')).toBe(true);
      expect(alice.last('settings.changed')).toMatchObject({ allowInsecureRemote: true });
      expect(await alice.call('settings.set', { allowInsecureRemote: false })).not.toHaveProperty('allowInsecureRemote');
      await expect(alice.call('settings.set', { signalingUrls: ['ftp://x'] })).rejects.toMatchObject({ code: 'BRIDGE_BAD_PARAMS' });
    } finally {
      await other.close();
    }
  });

  it('UI-01: the connection goes to backing off with a retry time when the server stops, and recovers', async () => {
    const alice = await created('alice', 'Alice');
    await waitUntil(() => alice.last('connection.changed')?.state === 'connected', 'connected');
    const { port } = server;
    await server.close();
    await waitUntil(() => alice.last('connection.changed')?.state === 'backing-off', 'backing off');
    const backingOff = await alice.call('connection.state', {});
    if (backingOff.state === 'backing-off') expect(backingOff.nextRetryAt).toEqual(expect.any(Number));
    server = await startSignalingServer({ port, host: '127.0.0.1', offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
    expect(await alice.call('connection.retryNow', {})).toBeNull();
    await waitUntil(() => alice.last('connection.changed')?.state === 'connected', 'connected again');
  });
});

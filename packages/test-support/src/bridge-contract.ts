import { ed25519 } from '@noble/curves/ed25519.js';
import { SMALL_ORDER_KEYS, decodeUserId, encodeUserId, hexToBytes } from '@discordopus/protocol';
import type { BridgeEventName, BridgeHandlers } from '@discordopus/protocol/bridge';
import { afterEach, describe, expect, it } from 'vitest';
import { describeCallLogContract } from './bridge-contract-calls';
import { describeMessageContract } from './bridge-contract-messages';
import { describeFileContract } from './bridge-contract-files';
import { waitFor } from './wait';
import { call, codeOf, hexOf } from './bridge-contract-support';

/**
 * One contract for whatever stands behind the local bridge (CONVENTIONS 9, 15): the real
 * CoreSession (packages/desktop, node project, real vaults) and the app's FakeCore (packages/app,
 * jsdom project). This module imports no Node built-ins so that both projects can load it.
 */
export interface BridgeCoreUnderTest {
  readonly handlers: BridgeHandlers;
  onEvent(listener: (event: BridgeEventName, payload: unknown) => void): () => void;
}

export interface BridgeContractHarness {
  /** A core on a new, empty profile (no identity yet). */
  fresh(): Promise<BridgeCoreUnderTest>;
  /** The same profile as `core` after a restart: `core` is closed, the new one starts locked. */
  restart(core: BridgeCoreUnderTest): Promise<BridgeCoreUnderTest>;
  /** Release every core and file made since the last cleanup. */
  cleanup(): Promise<void>;
  /**
   * CONT-06: someone named `displayName` adds the user of `core` (an open profile) with `note`, so
   * a request arrives at `core` as it would from the network. Returns the sender's user ID.
   */
  requestFrom(core: BridgeCoreUnderTest, userId: string, displayName: string, note: string): Promise<string>;
  /**
   * FILE-02 (failure injection): the link under the next file `sender` sends drops once its bytes
   * flow (after about 1 MiB), and comes back by itself, as a wanted link does.
   */
  interruptNextTransfer(sender: BridgeCoreUnderTest): void;
}

/** Strong enough for every passphrase gate (the core's and the app's meter). */
export const CONTRACT_PASSPHRASE = 'violet kestrel orbits nine quiet lanterns';
export const CONTRACT_OTHER_PASSPHRASE = 'amber walrus juggles seven frozen comets';

interface Recorded {
  core: BridgeCoreUnderTest;
  events: { event: BridgeEventName; payload: unknown }[];
}

/** A user ID for a real Ed25519 public key (what a contact would give you). */
export function someonesUserId(): string {
  return encodeUserId(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
}

export function describeBridgeCoreContract(name: string, makeHarness: () => BridgeContractHarness): void {
  describe(`bridge core contract: ${name}`, () => {
    const harness = makeHarness();
    afterEach(() => harness.cleanup());

    function record(core: BridgeCoreUnderTest): Recorded {
      const recorded: Recorded = { core, events: [] };
      core.onEvent((event, payload) => recorded.events.push({ event, payload }));
      return recorded;
    }

    async function created(displayName = 'Alice'): Promise<Recorded> {
      const r = record(await harness.fresh());
      await call(r.core, 'profile.create', { displayName, passphrase: CONTRACT_PASSPHRASE });
      return r;
    }

    it('IDEN-01: a fresh profile has no identity; only profile calls work until one is created', async () => {
      const core = await harness.fresh();
      expect((await call(core, 'session.state', {})).state).toBe('no-profile');
      expect(await codeOf(call(core, 'identity.get', {}))).toBe('VAULT_CLOSED');
      expect(await codeOf(call(core, 'contacts.list', {}))).toBe('VAULT_CLOSED');
      expect(await codeOf(call(core, 'presence.status', {}))).toBe('VAULT_CLOSED');
      // FILE-01: no upload is staged and no transfer shown before the profile is open.
      expect(await codeOf(call(core, 'files.list', { publicKey: 'ab'.repeat(32) }))).toBe('VAULT_CLOSED');
      expect(await codeOf(call(core, 'files.beginUpload', { publicKey: 'ab'.repeat(32), name: 'a', size: 1, mime: 'text/plain', caption: null, preview: null }))).toBe('VAULT_CLOSED');
      expect(await codeOf(call(core, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE }))).toBe('VAULT_NOT_FOUND');
    });

    it('IDEN-01: creating the identity opens the profile, announces it, and cannot be done twice', async () => {
      const r = record(await harness.fresh());
      const identity = await call(r.core, 'profile.create', { displayName: 'Alice', passphrase: CONTRACT_PASSPHRASE });
      expect(identity.displayName).toBe('Alice');
      expect(decodeUserId(identity.userId)).toHaveLength(32);
      expect(await call(r.core, 'identity.get', {})).toEqual(identity);
      expect((await call(r.core, 'session.state', {})).state).toBe('unlocked');
      expect(r.events.filter((e) => e.event === 'session.changed').map((e) => (e.payload as { state: string }).state)).toEqual(['unlocked']);
      expect(await codeOf(call(r.core, 'profile.create', { displayName: 'Again', passphrase: CONTRACT_PASSPHRASE }))).toBe('VAULT_EXISTS');
      expect(await call(r.core, 'contacts.list', {})).toEqual({ contacts: [] });
    });

    it('IDEN-01, VAULT-02: a weak passphrase is refused with WEAK_PASSPHRASE', async () => {
      const core = await harness.fresh();
      expect(await codeOf(call(core, 'profile.create', { displayName: 'Alice', passphrase: 'qwertyuiop12' }))).toBe('WEAK_PASSPHRASE');
      expect((await call(core, 'session.state', {})).state).toBe('no-profile');
    });

    it('VAULT-02: after a restart the profile is locked; a wrong passphrase is refused, the right one opens the same identity', async () => {
      const first = await created();
      const identity = await call(first.core, 'identity.get', {});
      const again = await harness.restart(first.core);
      expect((await call(again, 'session.state', {})).state).toBe('locked');
      expect(await codeOf(call(again, 'identity.get', {}))).toBe('VAULT_CLOSED');
      expect(await codeOf(call(again, 'profile.unlock', { passphrase: 'not the passphrase' }))).toBe('WRONG_PASSPHRASE');
      expect((await call(again, 'session.state', {})).state).toBe('locked');
      expect(await call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE })).toEqual(identity);
      // A second window unlocking an open profile still needs the right passphrase.
      expect(await codeOf(call(again, 'profile.unlock', { passphrase: 'not the passphrase' }))).toBe('WRONG_PASSPHRASE');
    });

    it('VAULT-02: the passphrase can be changed (the current one is checked); the new one opens the profile', async () => {
      const r = await created();
      expect(await codeOf(call(r.core, 'profile.changePassphrase', { current: 'wrong one', next: CONTRACT_OTHER_PASSPHRASE }))).toBe('WRONG_PASSPHRASE');
      expect(await codeOf(call(r.core, 'profile.changePassphrase', { current: CONTRACT_PASSPHRASE, next: 'qwertyuiop12' }))).toBe('WEAK_PASSPHRASE');
      expect(await call(r.core, 'profile.changePassphrase', { current: CONTRACT_PASSPHRASE, next: CONTRACT_OTHER_PASSPHRASE })).toBeNull();
      const again = await harness.restart(r.core);
      expect(await codeOf(call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE }))).toBe('WRONG_PASSPHRASE');
      expect((await call(again, 'profile.unlock', { passphrase: CONTRACT_OTHER_PASSPHRASE })).displayName).toBe('Alice');
    });

    it('IDEN-03: a backup needs the passphrase and restores the identity into a new profile', async () => {
      const r = await created();
      const identity = await call(r.core, 'identity.get', {});
      expect(await codeOf(call(r.core, 'profile.exportBackup', { passphrase: 'wrong one' }))).toBe('WRONG_PASSPHRASE');
      const backup = await call(r.core, 'profile.exportBackup', { passphrase: CONTRACT_PASSPHRASE });
      expect(backup.fileName).toMatch(/\.dopus-backup$/);

      const target = record(await harness.fresh());
      const restore = { backupBase64: backup.backupBase64, passphrase: CONTRACT_OTHER_PASSPHRASE };
      expect(await codeOf(call(target.core, 'profile.restore', { ...restore, backupPassphrase: 'wrong one' }))).toBe('WRONG_PASSPHRASE');
      expect((await call(target.core, 'session.state', {})).state).toBe('no-profile');
      const restored = await call(target.core, 'profile.restore', { ...restore, backupPassphrase: CONTRACT_PASSPHRASE, displayName: 'Alice again' });
      expect(restored).toEqual({ userId: identity.userId, displayName: 'Alice again' });
      expect(target.events.some((e) => e.event === 'session.changed')).toBe(true);
    });

    it('CONT-01..04: add, rename, verify and remove a contact; each change is announced', async () => {
      const r = await created();
      const own = await call(r.core, 'identity.get', {});
      const userId = someonesUserId();
      const contact = await call(r.core, 'contacts.add', { userId, nickname: 'Bobby' });
      expect(contact).toMatchObject({ userId, publicKey: hexOf(userId), nickname: 'Bobby', displayName: null, verified: false, onlineStatus: 'unknown', lastSeenAt: null });
      expect(typeof contact.addedAt).toBe('number');
      expect(await call(r.core, 'contacts.list', {})).toEqual({ contacts: [contact] });
      await waitFor(() => r.events.some((e) => e.event === 'contacts.changed'), 'contacts.changed after add');
      const lastList = () => (r.events.filter((e) => e.event === 'contacts.changed').at(-1)?.payload as { contacts: unknown[] }).contacts;
      expect(lastList()).toEqual([contact]);

      expect(await codeOf(call(r.core, 'contacts.add', { userId }))).toBe('CONTACT_EXISTS');
      expect(await codeOf(call(r.core, 'contacts.add', { userId: own.userId }))).toBe('CONTACT_IS_SELF');
      expect(await codeOf(call(r.core, 'contacts.add', { userId: userId.slice(0, -1) }))).toBe('USER_ID_BAD_LENGTH');
      // INFR-04: a well-formed ID of a small-order key names nobody: anyone could sign for it.
      for (const key of SMALL_ORDER_KEYS) {
        expect(await codeOf(call(r.core, 'contacts.add', { userId: encodeUserId(hexToBytes(key)) }))).toBe('CONTACT_KEY_UNUSABLE');
      }

      const renamed = await call(r.core, 'contacts.rename', { publicKey: contact.publicKey, nickname: 'Bob' });
      expect(renamed).toEqual({ ...contact, nickname: 'Bob' });
      expect(await call(r.core, 'contacts.rename', { publicKey: contact.publicKey, nickname: null })).toEqual({ ...contact, nickname: null });
      const verified = await call(r.core, 'contacts.setVerified', { publicKey: contact.publicKey, verified: true });
      expect(verified).toEqual({ ...contact, nickname: null, verified: true });
      await waitFor(() => JSON.stringify(lastList()) === JSON.stringify([verified]), 'contacts.changed after verify');

      expect(await call(r.core, 'contacts.remove', { publicKey: contact.publicKey })).toBeNull();
      expect(await call(r.core, 'contacts.list', {})).toEqual({ contacts: [] });
      await waitFor(() => lastList().length === 0, 'contacts.changed after remove');
      const gone = contact.publicKey;
      expect(await codeOf(call(r.core, 'contacts.remove', { publicKey: gone }))).toBe('CONTACT_NOT_FOUND');
      expect(await codeOf(call(r.core, 'contacts.rename', { publicKey: gone, nickname: 'x' }))).toBe('CONTACT_NOT_FOUND');
      expect(await codeOf(call(r.core, 'contacts.setVerified', { publicKey: gone, verified: true }))).toBe('CONTACT_NOT_FOUND');
      expect(await codeOf(call(r.core, 'contacts.safetyNumber', { publicKey: gone }))).toBe('CONTACT_NOT_FOUND');
    });

    it('CONT-05: both sides compute the same safety number, 60 digits in groups of five', async () => {
      const [alice, bob] = [await created('Alice'), await created('Bob')];
      const aliceId = (await call(alice.core, 'identity.get', {})).userId;
      const bobId = (await call(bob.core, 'identity.get', {})).userId;
      expect(aliceId).not.toBe(bobId);
      await call(alice.core, 'contacts.add', { userId: bobId });
      await call(bob.core, 'contacts.add', { userId: aliceId });
      const seenByAlice = await call(alice.core, 'contacts.safetyNumber', { publicKey: hexOf(bobId) });
      const seenByBob = await call(bob.core, 'contacts.safetyNumber', { publicKey: hexOf(aliceId) });
      expect(seenByAlice).toEqual(seenByBob);
      expect(seenByAlice.digits).toMatch(/^\d{60}$/);
      expect(seenByAlice.groups.join('')).toBe(seenByAlice.digits);
      expect(seenByAlice.groups.every((g) => g.length === 5)).toBe(true);
    });

    it('PRES-01: the own status is announced and persists across a restart', async () => {
      const r = await created();
      expect(await call(r.core, 'presence.status', {})).toEqual({ status: 'online' });
      expect(await call(r.core, 'presence.setStatus', { status: 'busy' })).toEqual({ status: 'busy' });
      expect(await call(r.core, 'presence.status', {})).toEqual({ status: 'busy' });
      await waitFor(() => r.events.some((e) => e.event === 'status.changed' && (e.payload as { status: string }).status === 'busy'), 'status.changed');
      const again = await harness.restart(r.core);
      await call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE });
      expect(await call(again, 'presence.status', {})).toEqual({ status: 'busy' });
    });

    it('UI-02: settings change through the bridge and are announced; bad values never reach the core', async () => {
      const r = await created();
      const before = await call(r.core, 'settings.get', {});
      const after = await call(r.core, 'settings.set', { theme: before.theme === 'dark' ? 'light' : 'dark' });
      expect(after).toEqual({ ...before, theme: before.theme === 'dark' ? 'light' : 'dark' });
      expect(await call(r.core, 'settings.get', {})).toEqual(after);
      await waitFor(() => r.events.some((e) => e.event === 'settings.changed' && JSON.stringify(e.payload) === JSON.stringify(after)), 'settings.changed');
      expect(await codeOf(call(r.core, 'settings.set', { signalingUrls: ['ftp://example.com'] }))).toBe('BRIDGE_BAD_PARAMS');
    });

    it('P2P-05: the own display name changes through the bridge, is checked, and persists across a restart', async () => {
      const r = await created();
      const identity = await call(r.core, 'identity.get', {});
      expect(await call(r.core, 'profile.setDisplayName', { displayName: '  Alicia 🌻 ' })).toEqual({ ...identity, displayName: 'Alicia 🌻' });
      expect(await call(r.core, 'identity.get', {})).toEqual({ ...identity, displayName: 'Alicia 🌻' });
      expect(await codeOf(call(r.core, 'profile.setDisplayName', { displayName: '   ' }))).toBe('BRIDGE_BAD_PARAMS');
      expect(await codeOf(call(r.core, 'profile.setDisplayName', { displayName: 'x'.repeat(65) }))).toBe('BRIDGE_BAD_PARAMS');
      const again = await harness.restart(r.core);
      expect(await codeOf(call(again, 'profile.setDisplayName', { displayName: 'Locked' }))).toBe('VAULT_CLOSED');
      expect((await call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE })).displayName).toBe('Alicia 🌻');
    });

    it('P2P-01, P2P-02: no links at first; a link is refused to a stranger and to a contact who is not online', async () => {
      const r = await created();
      expect(await call(r.core, 'links.list', {})).toEqual({ links: [], warnings: [] });
      const stranger = hexOf(someonesUserId());
      expect(await codeOf(call(r.core, 'links.open', { publicKey: stranger }))).toBe('CONTACT_NOT_FOUND');
      // Nobody runs this contact's key: it never comes online, so no link can be set up.
      const contact = await call(r.core, 'contacts.add', { userId: someonesUserId() });
      expect(await codeOf(call(r.core, 'links.open', { publicKey: contact.publicKey }))).toBe('LINK_UNREACHABLE');
      expect(await codeOf(call(r.core, 'links.open', { publicKey: 'not a key' }))).toBe('BRIDGE_BAD_PARAMS');
      // PRES-01: the intent is optional, 'user' or 'auto'; anything else is refused before the core.
      expect(await codeOf(call(r.core, 'links.open', { publicKey: contact.publicKey, intent: 'user' }))).toBe('LINK_UNREACHABLE');
      expect(await codeOf(call(r.core, 'links.open', { publicKey: contact.publicKey, intent: 'auto' }))).toBe('LINK_UNREACHABLE');
      expect(await codeOf(call(r.core, 'links.open', { publicKey: contact.publicKey, intent: 'force' } as never))).toBe('BRIDGE_BAD_PARAMS');
      expect(await call(r.core, 'links.dismissWarning', { publicKey: contact.publicKey })).toBeNull();
      expect(await call(r.core, 'links.list', {})).toEqual({ links: [], warnings: [] });
      expect(r.events.some((e) => e.event === 'links.changed' || e.event === 'security.warning')).toBe(false);
    });

    it('VOICE-02: a call frame goes only to a contact who is online; a stranger, an offline contact and a bad frame are refused with a code', async () => {
      const r = await created();
      const callId = 'BAQEBAQEBAQEBAQEBAQEBA';
      const invite = { type: 'call.invite' as const, callId, fingerprint: `sha-256 ${Array(32).fill('7F').join(':')}`, sdp: 'v=0\r\ns=-\r\n' };
      expect(await codeOf(call(r.core, 'calls.send', { publicKey: hexOf(someonesUserId()), frame: { type: 'call.ringing', callId } }))).toBe('CALL_NOT_CONTACT');
      const contact = await call(r.core, 'contacts.add', { userId: someonesUserId() });
      expect(await codeOf(call(r.core, 'calls.send', { publicKey: contact.publicKey, frame: invite }))).toBe('CALL_NO_LINK');
      expect(await codeOf(call(r.core, 'calls.send', { publicKey: contact.publicKey, frame: { ...invite, sdp: 'hello' } }))).toBe('BRIDGE_BAD_PARAMS');
      expect(r.events.some((e) => e.event === 'calls.frame')).toBe(false);
      // A call uses the links' ICE configuration: relay-only follows the setting.
      expect(await call(r.core, 'calls.ice', {})).toMatchObject({ relayOnly: false });
      await call(r.core, 'settings.set', { relayOnly: true });
      expect(await call(r.core, 'calls.ice', {})).toMatchObject({ relayOnly: true });
    });

    it('P2P-03: relay-only is off at first, can be switched on, is announced and persists', async () => {
      const r = await created();
      expect((await call(r.core, 'settings.get', {})).relayOnly ?? false).toBe(false);
      const on = await call(r.core, 'settings.set', { relayOnly: true });
      expect(on.relayOnly).toBe(true);
      await waitFor(() => r.events.some((e) => e.event === 'settings.changed' && (e.payload as { relayOnly?: boolean }).relayOnly === true), 'settings.changed');
      const again = await harness.restart(r.core);
      await call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE });
      expect((await call(again, 'settings.get', {})).relayOnly).toBe(true);
      expect((await call(again, 'settings.set', { relayOnly: false })).relayOnly ?? false).toBe(false);
    });

    it('P2P-01: links close after 5 minutes unused unless the user chooses 30 s to 24 h; the choice persists', async () => {
      const r = await created();
      expect((await call(r.core, 'settings.get', {})).linkIdleCloseMs).toBe(5 * 60_000);
      expect((await call(r.core, 'settings.set', { linkIdleCloseMs: 60 * 60_000 })).linkIdleCloseMs).toBe(60 * 60_000);
      expect(await codeOf(call(r.core, 'settings.set', { linkIdleCloseMs: 29_999 }))).toBe('BRIDGE_BAD_PARAMS');
      expect(await codeOf(call(r.core, 'settings.set', { linkIdleCloseMs: 24 * 60 * 60_000 + 1 }))).toBe('BRIDGE_BAD_PARAMS');
      expect(await codeOf(call(r.core, 'settings.set', { linkIdleCloseMs: 60_000.5 }))).toBe('BRIDGE_BAD_PARAMS');
      const again = await harness.restart(r.core);
      await call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE });
      expect((await call(again, 'settings.get', {})).linkIdleCloseMs).toBe(60 * 60_000);
    });

    it('CONT-06: a contact added with a note is pending; block removes it and refuses its key until unblocked', async () => {
      const r = await created();
      expect(await call(r.core, 'requests.list', {})).toEqual({ incoming: [], blocked: [] });
      const userId = someonesUserId();
      expect(await codeOf(call(r.core, 'contacts.add', { userId, note: 'x'.repeat(281) }))).toBe('BRIDGE_BAD_PARAMS');
      const contact = await call(r.core, 'contacts.add', { userId, nickname: 'Bobby', note: 'hi, it is Alice' });
      // Nobody runs this key, so nothing shows it added us back.
      expect(contact.pending).toBe(true);
      expect(await call(r.core, 'contacts.list', {})).toEqual({ contacts: [contact] });

      expect(await call(r.core, 'requests.block', { publicKey: contact.publicKey })).toBeNull();
      expect(await call(r.core, 'contacts.list', {})).toEqual({ contacts: [] });
      const overview = await call(r.core, 'requests.list', {});
      expect(overview.incoming).toEqual([]);
      expect(overview.blocked).toMatchObject([{ publicKey: contact.publicKey, userId, label: 'Bobby' }]);
      await waitFor(() => r.events.some((e) => e.event === 'requests.changed' && JSON.stringify(e.payload) === JSON.stringify(overview)), 'requests.changed after block');
      expect(await codeOf(call(r.core, 'contacts.add', { userId }))).toBe('CONTACT_BLOCKED');

      expect(await call(r.core, 'requests.unblock', { publicKey: contact.publicKey })).toBeNull();
      expect(await call(r.core, 'requests.list', {})).toEqual({ incoming: [], blocked: [] });
      expect(await codeOf(call(r.core, 'requests.unblock', { publicKey: contact.publicKey }))).toBe('CONTACT_NOT_FOUND');
      expect((await call(r.core, 'contacts.add', { userId })).pending).toBe(true);
      // No request from a stranger: nothing to accept or ignore.
      const stranger = hexOf(someonesUserId());
      expect(await codeOf(call(r.core, 'requests.accept', { publicKey: stranger }))).toBe('CONTACT_NOT_FOUND');
      expect(await codeOf(call(r.core, 'requests.ignore', { publicKey: stranger }))).toBe('CONTACT_NOT_FOUND');
      expect(await codeOf(call(r.core, 'requests.block', { publicKey: 'not a key' }))).toBe('BRIDGE_BAD_PARAMS');
      const again = await harness.restart(r.core);
      expect(await codeOf(call(again, 'requests.list', {}))).toBe('VAULT_CLOSED');
    });

    it('CONT-06: a request arrives with its name and note; ignore hides it; accept and adding the sender both add them, not pending', async () => {
      const r = await created();
      const own = (await call(r.core, 'identity.get', {})).userId;
      const incoming = async () => (await call(r.core, 'requests.list', {})).incoming;
      const arrives = async (name: string, note: string) => {
        const userId = await harness.requestFrom(r.core, own, name, note);
        await waitFor(async () => (await incoming()).some((q) => q.userId === userId), `${name}'s request arrives`);
        expect((await incoming()).find((q) => q.userId === userId)).toMatchObject({ userId, publicKey: hexOf(userId), displayName: name, note });
        return userId;
      };
      const dana = await arrives('Dana', 'we met at the meetup');
      expect(await call(r.core, 'requests.ignore', { publicKey: hexOf(dana) })).toBeNull();
      expect((await incoming()).map((q) => q.userId)).not.toContain(dana);
      expect(await codeOf(call(r.core, 'requests.ignore', { publicKey: hexOf(dana) }))).toBe('CONTACT_NOT_FOUND');

      const erin = await arrives('Erin', '');
      const accepted = await call(r.core, 'requests.accept', { publicKey: hexOf(erin) });
      expect(accepted).toMatchObject({ userId: erin, displayName: 'Erin', pending: false });
      expect((await incoming()).map((q) => q.userId)).not.toContain(erin);

      const finn = await arrives('Finn', 'hi');
      const added = await call(r.core, 'contacts.add', { userId: finn });
      expect(added).toMatchObject({ userId: finn, displayName: 'Finn', pending: false });
      expect(await incoming()).toEqual([]);
      expect((await call(r.core, 'contacts.list', {})).contacts.map((c) => c.userId).sort()).toEqual([erin, finn].sort());
    });

    it('INFR-01, UI-01: an open profile reports its connection, reaches connected, and retries on demand', async () => {
      const r = await created();
      await waitFor(async () => (await call(r.core, 'connection.state', {})).state === 'connected', 'connected');
      const state = await call(r.core, 'connection.state', {});
      expect(state).toMatchObject({ state: 'connected', reason: null, nextRetryAt: null });
      expect(state.serverUrl).toMatch(/^wss?:\/\//);
      expect(await call(r.core, 'connection.retryNow', {})).toBeNull();
    });

    const context = {
      created,
      someonesUserId,
      interruptNextTransfer: (sender: BridgeCoreUnderTest) => harness.interruptNextTransfer(sender),
      restarted: async (core: BridgeCoreUnderTest) => {
        const again = await harness.restart(core);
        await call(again, 'profile.unlock', { passphrase: CONTRACT_PASSPHRASE });
        return again;
      },
    };
    describeMessageContract(context);
    describeCallLogContract(context);
    /** FILE-01..03: uploads, offers, accept/decline/cancel, lists, file settings (bridge-contract-files.ts). */
    describeFileContract(context);
  });
}

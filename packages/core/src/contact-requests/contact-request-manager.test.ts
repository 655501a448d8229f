import { join } from 'node:path';
import { bytesToHex } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault } from '../../test/helpers/test-vault';
import { Identity } from '../identity/identity';
import { signProfileCard } from '../identity/profile-card';
import { ManualClock } from '../links/manual-clock.test-helper';
import { silentLogger } from '../logging/logger';
import { ContactRequestManager } from './contact-request-manager';
import { RequestSealer } from './request-sealer';

/** A real vault and manager whose `contact.request.send` frames are collected instead of sent. */
async function sender(clock: ManualClock) {
  const vault = await createTestVault(join(tempDir(), 'p'), { now: () => clock.now() });
  const sent: { to: string; payload: string }[] = [];
  let online = true;
  const manager = new ContactRequestManager({
    sealer: new RequestSealer({ identity: vault.identity, clock }),
    store: vault.requests,
    contacts: vault.contacts,
    ports: { send: (to, payload) => online && sent.push({ to, payload }) > 0, ownStatus: () => 'online' },
    ownProfileCard: () => vault.profileCard(),
    clock,
    logger: silentLogger,
  });
  manager.start();
  return { vault, manager, sent, setOnline: (v: boolean) => (online = v) };
}

describe('contact requests on the sending side (CONT-06)', () => {
  it('CONT-06: requests wait for a connection, then go out within this side’s budget (4, then one per 15 s)', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    const strangers = Array.from({ length: 6 }, (_, i) => Identity.create(`S${i}`));
    for (const s of strangers) alice.manager.addContact(s.userId, { note: `hello ${s.displayName}` });
    expect(alice.sent).toEqual([]); // not connected yet
    expect(alice.vault.contacts.list().every((c) => c.pending)).toBe(true);

    alice.manager.handleConnected();
    expect(alice.sent.map((m) => m.to)).toEqual(strangers.slice(0, 4).map((s) => bytesToHex(s.publicKey)));
    clock.advance(15_000);
    expect(alice.sent).toHaveLength(5);
    clock.advance(15_000);
    expect(alice.sent).toHaveLength(6);
    // Each went to its own recipient, who can open it (and only they).
    const last = strangers[5] as Identity;
    const opened = new RequestSealer({ identity: last, clock }).open({ from: bytesToHex(alice.vault.identity.publicKey), payload: alice.sent[5]?.payload ?? '' });
    expect(opened).toMatchObject({ ok: true, body: { type: 'request.send', note: 'hello S5', card: { displayName: 'Alice' } } });
    alice.manager.stop();
    expect(clock.pending).toBe(0);
    alice.vault.close();
  });

  it('CONT-06: a pending contact’s request is sent again every 5 minutes while connected, and no more once they added us back', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    const bob = Identity.create('Bob');
    alice.manager.handleConnected();
    alice.manager.addContact(bob.userId);
    expect(alice.sent).toHaveLength(1);
    clock.advance(4 * 60_000);
    expect(alice.sent).toHaveLength(1);
    clock.advance(60_000);
    expect(alice.sent).toHaveLength(2);
    alice.manager.handleDisconnected();
    clock.advance(10 * 60_000);
    expect(alice.sent).toHaveLength(2); // nothing while disconnected
    alice.manager.handleConnected();
    expect(alice.sent).toHaveLength(3); // due: sent at once on reconnecting
    // Bob's presence shows he lists alice: no more requests, and nothing is scheduled.
    alice.vault.contacts.updatePresence(bytesToHex(bob.publicKey), 'online', clock.now());
    clock.advance(30 * 60_000);
    expect(alice.sent).toHaveLength(3);
    expect(alice.vault.requests.outgoing()).toEqual([]);
    expect(clock.pending).toBe(0);
    alice.manager.stop();
    alice.vault.close();
  });

  it('CONT-06: incoming requests are bounded; a refreshed request from the same sender still fits, a new sender is TOO_MANY', async () => {
    const clock = new ManualClock(Date.now());
    const bobVault = await createTestVault(join(tempDir(), 'b'), { displayName: 'Bob', now: () => clock.now() });
    const bob = new ContactRequestManager({
      sealer: new RequestSealer({ identity: bobVault.identity, clock }),
      store: bobVault.requests,
      contacts: bobVault.contacts,
      ports: { send: () => true, ownStatus: () => 'online' },
      ownProfileCard: () => bobVault.profileCard(),
      clock,
      maxIncoming: 2,
      logger: silentLogger,
    });
    const bobHex = bytesToHex(bobVault.identity.publicKey);
    const requestFrom = (identity: Identity, note: string) => {
      const { displayName, updatedAtMs, signature } = signProfileCard({ identity, displayName: identity.displayName, updatedAtMs: clock.now() });
      const payload = new RequestSealer({ identity, clock }).seal({ to: bobHex, body: { type: 'request.send', card: { displayName, updatedAtMs, signature }, note } });
      bob.handleRequest({ from: bytesToHex(identity.publicKey), payload });
    };
    const [a, b, c] = ['A', 'B', 'C'].map((n) => Identity.create(n)) as [Identity, Identity, Identity];
    // A second apart, so the list (oldest first) has one order.
    for (const [who, note] of [[a, '1'], [b, '1'], [a, '2'], [c, '1']] as const) {
      requestFrom(who, note);
      clock.advance(1_000);
    }
    expect(bob.overview().incoming.map((r) => [r.card.displayName, r.note])).toEqual([
      ['B', '1'],
      ['A', '2'],
    ]);
    expect(bob.stats()).toEqual({ TOO_MANY: 1 });
    bobVault.close();
  });
});

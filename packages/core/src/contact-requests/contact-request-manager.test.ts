import { join } from 'node:path';
import { bytesToHex, type OwnStatus } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault } from '../../test/helpers/test-vault';
import { Identity } from '../identity/identity';
import { ManualClock } from '../links/manual-clock.test-helper';
import { silentLogger } from '../logging/logger';
import { ContactRequestManager } from './contact-request-manager';
import { RequestSealer } from './request-sealer';

/** A real vault and manager whose `contact.request.send` frames are collected instead of sent. */
async function sender(clock: ManualClock) {
  const vault = await createTestVault(join(tempDir(), 'p'), { now: () => clock.now() });
  const sent: { to: string; payload: string }[] = [];
  let online = true;
  let status: OwnStatus = 'online';
  const manager = new ContactRequestManager({
    sealer: new RequestSealer({ identity: vault.identity, clock }),
    store: vault.requests,
    contacts: vault.contacts,
    ports: { send: (to, payload) => online && sent.push({ to, payload }) > 0, ownStatus: () => status },
    ownProfileCard: () => vault.profileCard(),
    clock,
    logger: silentLogger,
  });
  manager.start();
  const setStatus = (next: OwnStatus) => {
    status = next;
    manager.handleOwnStatusChanged();
  };
  return { vault, manager, sent, setOnline: (v: boolean) => (online = v), setStatus };
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

  it('CONT-06: a pending contact’s request is sent again after 5 min, 15 min, 1 h, then daily, and never after 30 days', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    const bob = Identity.create('Bob');
    alice.manager.handleConnected();
    alice.manager.addContact(bob.userId);
    const sentAfter = (minutes: number) => {
      clock.advance(minutes * 60_000);
      return alice.sent.length;
    };
    expect(alice.sent).toHaveLength(1);
    expect(sentAfter(4)).toBe(1);
    expect(sentAfter(1)).toBe(2); // +5 min
    expect(sentAfter(14)).toBe(2);
    expect(sentAfter(1)).toBe(3); // +15 min
    expect(sentAfter(59)).toBe(3);
    expect(sentAfter(1)).toBe(4); // +1 h
    expect(sentAfter(23 * 60 + 59)).toBe(4);
    expect(sentAfter(1)).toBe(5); // +1 day
    alice.manager.handleDisconnected();
    expect(sentAfter(2 * 24 * 60)).toBe(5); // nothing while disconnected
    alice.manager.handleConnected();
    expect(alice.sent).toHaveLength(6); // due: sent at once on reconnecting
    expect(sentAfter(24 * 60)).toBe(7);
    // Daily until the request is 30 days old, then never again (the contact stays pending).
    for (let day = 0; day < 40; day++) clock.advance(24 * 60 * 60_000);
    const total = alice.sent.length;
    expect(total).toBeLessThan(7 + 30);
    expect(clock.pending).toBe(0);
    expect(sentAfter(10 * 24 * 60)).toBe(total);
    expect(alice.vault.contacts.list()[0]?.pending).toBe(true);
    alice.manager.stop();
    alice.vault.close();
  });

  it('CONT-06: once they added us back nothing more is sent or scheduled', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    const bob = Identity.create('Bob');
    alice.manager.handleConnected();
    alice.manager.addContact(bob.userId);
    expect(alice.sent).toHaveLength(1);
    alice.vault.contacts.updatePresence(bytesToHex(bob.publicKey), 'online', clock.now());
    clock.advance(30 * 60_000);
    expect(alice.sent).toHaveLength(1);
    expect(alice.vault.requests.outgoing()).toEqual([]);
    expect(clock.pending).toBe(0);
    alice.manager.stop();
    alice.vault.close();
  });

  it('CONT-06: a pending contact added while no manager ran (CLI, restored backup) gets a request once the manager starts', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    alice.manager.stop();
    const [bob, carol] = [Identity.create('Bob'), Identity.create('Carol')];
    alice.vault.contacts.add(bob.userId); // as `discordopus contacts add` does: the vault only
    alice.vault.contacts.add(carol.userId);
    alice.vault.contacts.updatePresence(bytesToHex(carol.publicKey), 'online', clock.now()); // carol is mutual
    expect(alice.vault.requests.outgoing()).toEqual([]);
    alice.manager.start();
    alice.manager.handleConnected();
    expect(alice.sent.map((m) => m.to)).toEqual([bytesToHex(bob.publicKey)]);
    alice.manager.stop();
    alice.vault.close();
  });

  it('CONT-06: a note the request could not carry (lone surrogates) is BAD_NOTE before anything is stored', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    alice.manager.handleConnected();
    const bob = Identity.create('Bob');
    expect(() => alice.manager.addContact(bob.userId, { note: '\ud800'.repeat(280) })).toThrow(expect.objectContaining({ code: 'BAD_NOTE', message: expect.stringMatching(/lone surrogate/) }));
    expect(alice.vault.contacts.list()).toEqual([]);
    expect(alice.vault.requests.outgoing()).toEqual([]);
    expect(alice.sent).toEqual([]);
    alice.manager.stop();
    alice.vault.close();
  });

  it('CONT-06: a locked vault under a pending resend timer or a queued acceptance is logged, never thrown', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    alice.manager.handleConnected();
    alice.manager.addContact(Identity.create('Bob').userId);
    expect(alice.sent).toHaveLength(1);
    alice.vault.close(); // locked while the 5-minute resend is scheduled
    expect(() => clock.advance(10 * 60_000)).not.toThrow();
    expect(alice.sent).toHaveLength(1);
    alice.manager.stop();
  });

  it('CONT-06, PRES-01: nothing goes out while invisible but the explicit add itself; going visible sends what is due', async () => {
    const clock = new ManualClock(Date.now());
    const alice = await sender(clock);
    const [bob, carol] = [Identity.create('Bob'), Identity.create('Carol')];
    alice.manager.addContact(bob.userId); // while disconnected: waits
    alice.setStatus('invisible');
    alice.manager.handleConnected();
    expect(alice.sent).toEqual([]); // the waiting request does not show she is online
    alice.manager.addContact(carol.userId); // her own action now: sent once
    expect(alice.sent.map((m) => m.to)).toEqual([bytesToHex(carol.publicKey)]);
    expect(clock.pending).toBe(0); // and no resend is scheduled while invisible
    clock.advance(24 * 60 * 60_000);
    expect(alice.sent).toHaveLength(1);
    alice.setStatus('busy');
    expect(alice.sent.map((m) => m.to)).toEqual([bytesToHex(carol.publicKey), bytesToHex(bob.publicKey), bytesToHex(carol.publicKey)]);
    expect(clock.pending).toBe(1);
    alice.manager.stop();
    alice.vault.close();
  });
});

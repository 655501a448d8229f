import { join } from 'node:path';
import { bytesToHex } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault } from '../../test/helpers/test-vault';
import { Identity } from '../identity/identity';
import { signProfileCard } from '../identity/profile-card';
import { ManualClock } from '../links/manual-clock.test-helper';
import { silentLogger } from '../logging/logger';
import { ContactRequestManager, IGNORED_REQUEST_TTL_MS, RECEIVED_COALESCE_MS, UNANSWERED_REQUEST_TTL_MS } from './contact-request-manager';
import { RequestSealer } from './request-sealer';


/** Bob's real vault and manager, and a way to hand him a real sealed request from anyone. */
async function recipient(clock: ManualClock, maxIncoming?: number, send: (to: string) => boolean = () => true) {
  const vault = await createTestVault(join(tempDir(), 'b'), { displayName: 'Bob', now: () => clock.now() });
  const manager = new ContactRequestManager({
    sealer: new RequestSealer({ identity: vault.identity, clock }),
    store: vault.requests,
    contacts: vault.contacts,
    ports: { send: (to) => send(to), ownStatus: () => 'online' },
    ownProfileCard: () => vault.profileCard(),
    clock,
    ...(maxIncoming === undefined ? {} : { maxIncoming }),
    logger: silentLogger,
  });
  const changes: string[] = [];
  manager.on('changed', (e) => changes.push(e.reason));
  const bobHex = bytesToHex(vault.identity.publicKey);
  const requestFrom = (identity: Identity, note: string, displayName = identity.displayName) => {
    const { updatedAtMs, signature } = signProfileCard({ identity, displayName, updatedAtMs: clock.now() });
    const payload = new RequestSealer({ identity, clock }).seal({ to: bobHex, body: { type: 'request.send', card: { displayName, updatedAtMs, signature }, note } });
    manager.handleRequest({ from: bytesToHex(identity.publicKey), payload });
  };
  const shown = () => manager.overview().incoming.map((r) => [r.card.displayName, r.note]);
  return { vault, manager, changes, requestFrom, shown };
}

describe('incoming contact requests: bounds, expiry and updates (CONT-06)', () => {
  it('CONT-06: acceptances go out within this side’s budget (4, then one per 15 s) and wait for a connection; none is lost', async () => {
    const clock = new ManualClock(Date.now());
    const sent: string[] = [];
    let connected = false;
    const bob = await recipient(clock, undefined, (to) => connected && sent.push(to) > 0);
    const senders = Array.from({ length: 6 }, (_, i) => Identity.create(`S${i}`));
    for (const s of senders) bob.requestFrom(s, 'hi');
    bob.manager.accept(bytesToHex((senders[0] as Identity).publicKey)); // disconnected: kept
    expect(sent).toEqual([]);
    connected = true;
    bob.manager.handleConnected();
    expect(sent).toEqual([bytesToHex((senders[0] as Identity).publicKey)]);
    for (const s of senders.slice(1)) bob.manager.accept(bytesToHex(s.publicKey));
    expect(sent).toHaveLength(4); // the burst: the server's 5 per minute is never exceeded
    clock.advance(15_000);
    expect(sent).toHaveLength(5);
    clock.advance(15_000);
    expect(sent.sort()).toEqual(senders.map((s) => bytesToHex(s.publicKey)).sort());
    expect(bob.vault.contacts.list().every((c) => !c.pending)).toBe(true);
    bob.manager.stop();
    expect(clock.pending).toBe(0);
    bob.vault.close();
  });

  it('CONT-06: the list keeps first-received order; a resend with a new note updates the row in place', async () => {
    const clock = new ManualClock(Date.now());
    const bob = await recipient(clock);
    const [a, b] = [Identity.create('A'), Identity.create('B')];
    bob.requestFrom(a, '1');
    clock.advance(1_000);
    bob.requestFrom(b, '1');
    clock.advance(1_000);
    bob.requestFrom(a, '2');
    expect(bob.shown()).toEqual([
      ['A', '2'],
      ['B', '1'],
    ]);
    bob.vault.close();
  });

  it('CONT-06: when full, the oldest ignored request makes room; with none ignored a new sender is refused, counted and reported', async () => {
    const clock = new ManualClock(Date.now());
    const bob = await recipient(clock, 2);
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((n) => Identity.create(n)) as [Identity, Identity, Identity, Identity];
    bob.requestFrom(a, 'spam');
    clock.advance(1_000);
    bob.requestFrom(b, 'hi');
    clock.advance(1_000);
    bob.manager.ignore(bytesToHex(a.publicKey));
    bob.requestFrom(c, 'friend'); // A (ignored) makes room
    expect(bob.shown()).toEqual([
      ['B', 'hi'],
      ['C', 'friend'],
    ]);
    expect(bob.vault.requests.incomingFrom(bytesToHex(a.publicKey))).toBeNull();
    expect(bob.manager.stats()).toEqual({});
    bob.requestFrom(d, 'me too'); // nothing ignored: refused, but not silently
    expect(bob.shown()).toHaveLength(2);
    expect(bob.manager.stats()).toEqual({ TOO_MANY: 1 });
    expect(bob.manager.refusedWhileFull).toBe(1);
    expect(bob.manager.overview().refusedWhileFull).toBe(1);
    clock.advance(RECEIVED_COALESCE_MS);
    expect(bob.changes.at(-1)).toBe('received'); // the UI is told (it shows "list full, 1 refused")
    bob.vault.close();
  });

  it('CONT-06: ignored requests expire after 30 days and unanswered ones after 90, from when they first arrived', async () => {
    const clock = new ManualClock(Date.now());
    const bob = await recipient(clock, 3);
    const [a, b, c] = ['A', 'B', 'C'].map((n) => Identity.create(n)) as [Identity, Identity, Identity];
    bob.requestFrom(a, 'x');
    bob.requestFrom(b, 'y');
    bob.manager.ignore(bytesToHex(a.publicKey));
    clock.advance(IGNORED_REQUEST_TTL_MS + 1);
    bob.requestFrom(b, 'y'); // a resend does not renew the first-received time
    bob.requestFrom(c, 'z');
    expect(bob.vault.requests.incoming({ includeIgnored: true }).map((r) => r.card.displayName)).toEqual(['B', 'C']);
    clock.advance(UNANSWERED_REQUEST_TTL_MS - IGNORED_REQUEST_TTL_MS);
    bob.requestFrom(c, 'z');
    expect(bob.shown()).toEqual([['C', 'z']]);
    bob.vault.close();
  });

  it('CONT-06: `changed` only for visible changes, coalesced: unchanged resends and ignored senders announce nothing', async () => {
    const clock = new ManualClock(Date.now());
    const bob = await recipient(clock);
    const [a, b] = [Identity.create('A'), Identity.create('B')];
    bob.requestFrom(a, '1');
    bob.requestFrom(b, '1');
    expect(bob.changes).toEqual([]); // coalesced: one announcement after the window
    clock.advance(RECEIVED_COALESCE_MS);
    expect(bob.changes).toEqual(['received']);
    bob.requestFrom(a, '1'); // the same again
    clock.advance(RECEIVED_COALESCE_MS);
    expect(bob.changes).toEqual(['received']);
    bob.requestFrom(a, '2'); // a new note is visible
    clock.advance(RECEIVED_COALESCE_MS);
    expect(bob.changes).toEqual(['received', 'received']);
    bob.manager.ignore(bytesToHex(b.publicKey));
    bob.requestFrom(b, 'again, with a new note');
    clock.advance(RECEIVED_COALESCE_MS);
    expect(bob.changes).toEqual(['received', 'received', 'ignored']);
    expect(clock.pending).toBe(0);
    bob.vault.close();
  });
});

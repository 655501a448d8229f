import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientCoreOptions } from '../src/client/create-client-core';
import { RequestSealer } from '../src/contact-requests';
import { Identity } from '../src/identity/identity';
import type { LinkManager } from '../src/links/link-manager';
import { ManualClock } from '../src/links/manual-clock.test-helper';
import { systemClock } from '../src/signaling/clock';
import { cleanupProfiles, createProfile, presenceSeen, type TestProfile } from './harness/profiles';
import { requestTap, type RequestTap } from './harness/request-tap';
import { waitFor } from './harness/server-process';

let server: RunningServer;
const running: TestProfile[] = [];

interface Peer {
  p: TestProfile;
  tap: RequestTap;
  links: () => LinkManager;
}

/** A real profile (SQLCipher vault, real core) on the real server, its contact.request frames tapped. */
async function peer(name: string, extra: Partial<ClientCoreOptions> = {}): Promise<Peer> {
  const tap = requestTap();
  let manager: LinkManager | null = null;
  const p = await createProfile(name, [server.url], {
    createSocket: tap.createSocket,
    defaultIceServers: [],
    links: { bindAddress: '127.0.0.1', onCreated: (m) => (manager = m) },
    ...extra,
  });
  running.push(p);
  return {
    p,
    tap,
    links: () => {
      if (manager === null) throw new Error('no link manager');
      return manager;
    },
  };
}

const requests = (x: Peer) => {
  const r = x.p.core.requests;
  if (r === null) throw new Error('core built without requests');
  return r;
};
const incomingFrom = (x: Peer, from: Peer) => requests(x).overview().incoming.find((r) => r.publicKey === from.p.publicKeyHex);
const pending = (viewer: Peer, of: Peer) => viewer.p.vault.contacts.get(of.p.publicKeyHex)?.pending;
const connected = (x: Peer) => x.p.core.connection.state === 'connected';

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

describe('contact requests through the real server (CONT-06)', () => {
  it('CONT-06: a sealed request with a signed name and a note arrives; the adder shows pending; accept makes both mutual and presence flows', async () => {
    const alice = await peer('Alice');
    const bob = await peer('Bob');
    await waitFor(() => connected(alice) && connected(bob), 'both connected');

    requests(alice).addContact(bob.p.vault.identity.userId, { note: 'hi, it is Alice from the climbing club' });
    expect(pending(alice, bob)).toBe(true);
    await waitFor(() => incomingFrom(bob, alice) !== undefined, 'bob has alice’s request');
    const request = incomingFrom(bob, alice);
    expect(request?.card.displayName).toBe('Alice');
    expect(request?.note).toBe('hi, it is Alice from the climbing club');
    // What the server relayed is opaque: neither the name nor the note is in it.
    expect(bob.tap.received).toHaveLength(1);
    const relayed = bob.tap.received[0]?.payload ?? '';
    expect(relayed.startsWith('r1.')).toBe(true);
    expect(relayed).not.toMatch(/Alice|climbing/);
    expect(Buffer.from(relayed.slice(3), 'base64url').toString('latin1')).not.toMatch(/Alice|climbing/);
    // Alice's side: pending and offline (the server shows her nothing of bob yet).
    expect(presenceSeen(alice.p, bob.p)).toBe('offline');
    expect(pending(alice, bob)).toBe(true);

    const contact = requests(bob).accept(alice.p.publicKeyHex);
    expect(contact.displayName).toBe('Alice');
    expect(contact.pending).toBe(false);
    expect(requests(bob).overview().incoming).toEqual([]);
    await waitFor(() => pending(alice, bob) === false, 'alice no longer pending');
    await waitFor(() => presenceSeen(alice.p, bob.p) === 'online' && presenceSeen(bob.p, alice.p) === 'online', 'presence both ways');
    // Bob's signed name came back with the acceptance (or later over a link).
    await waitFor(() => alice.p.vault.contacts.get(bob.p.publicKeyHex)?.displayName === 'Bob', 'alice knows bob’s name');
    bob.p.core.setStatus('busy');
    await waitFor(() => presenceSeen(alice.p, bob.p) === 'busy', 'alice sees bob busy');
    expect(requests(alice).stats()).toEqual({});
    expect(requests(bob).stats()).toEqual({});
  });

  it('CONT-06: adding someone whose request is waiting accepts it; the contact returned already has their name and is not pending', async () => {
    const alice = await peer('Alice');
    const bob = await peer('Bob');
    await waitFor(() => connected(alice) && connected(bob), 'both connected');
    requests(alice).addContact(bob.p.vault.identity.userId, { note: 'hi' });
    await waitFor(() => incomingFrom(bob, alice) !== undefined, 'bob has the request');
    const added = requests(bob).addContact(alice.p.vault.identity.userId);
    expect(added).toMatchObject({ displayName: 'Alice', pending: false });
    expect(requests(bob).overview().incoming).toEqual([]);
    await waitFor(() => pending(alice, bob) === false, 'alice no longer pending');
    await waitFor(() => presenceSeen(alice.p, bob.p) === 'online', 'mutual');
  });

  it('CONT-06: an invisible user who accepts still makes the sender mutual, through the sealed acceptance', async () => {
    const alice = await peer('Alice');
    const bob = await peer('Bob');
    await waitFor(() => connected(alice) && connected(bob), 'both connected');
    requests(alice).addContact(bob.p.vault.identity.userId);
    await waitFor(() => incomingFrom(bob, alice) !== undefined, 'bob has the request');
    bob.p.core.setStatus('invisible');
    requests(bob).accept(alice.p.publicKeyHex);
    await waitFor(() => pending(alice, bob) === false, 'alice told by the acceptance');
    expect(presenceSeen(alice.p, bob.p)).toBe('offline'); // invisible stays invisible
  });

  it('CONT-06: ignore changes nothing for the sender beyond pending; a repeated request stays hidden', async () => {
    // Alice's request timers on a clock the test moves (the signaling and links keep real time).
    const clock = new ManualClock(Date.now());
    const alice = await peer('Alice', { requests: { resendIntervalMs: 60_000, clock } });
    const bob = await peer('Bob');
    await waitFor(() => connected(alice) && connected(bob), 'both connected');
    requests(alice).addContact(bob.p.vault.identity.userId, { note: 'hello' });
    await waitFor(() => incomingFrom(bob, alice) !== undefined, 'bob has the request');
    requests(bob).ignore(alice.p.publicKeyHex);
    expect(requests(bob).overview().incoming).toEqual([]);
    expect(bob.p.vault.contacts.list()).toEqual([]);
    // Alice resends later (her clock moves past the resend period, then she reconnects).
    clock.advance(61_000);
    await waitFor(() => bob.tap.received.length === 2, 'the second request reached bob');
    expect(requests(bob).overview().incoming).toEqual([]);
    expect(pending(alice, bob)).toBe(true);
    expect(presenceSeen(alice.p, bob.p)).toBe('offline');
  });

  it('CONT-06: forged, replayed and foreign requests are dropped and counted; nothing is stored', async () => {
    const alice = await peer('Alice');
    const bob = await peer('Bob');
    await waitFor(() => connected(alice) && connected(bob), 'both connected');
    requests(alice).addContact(bob.p.vault.identity.userId);
    await waitFor(() => incomingFrom(bob, alice) !== undefined, 'bob has the request');
    requests(bob).ignore(alice.p.publicKeyHex);
    const genuine = bob.tap.received[0];
    if (!genuine) throw new Error('no request relayed');

    // Replayed: the same sealed request delivered again.
    bob.tap.inject(genuine);
    // Forged: mallory's sealed request presented as alice's (the relay-stamped sender differs from the signer).
    const mallory = Identity.create('Mallory');
    const malloryCard = { displayName: 'Alice', updatedAtMs: Date.now(), signature: 'A'.repeat(86) };
    const forgedSealer = new RequestSealer({ identity: mallory, clock: systemClock });
    bob.tap.inject({ from: alice.p.publicKeyHex, payload: forgedSealer.seal({ to: bob.p.publicKeyHex, body: { type: 'request.send', card: malloryCard, note: '' } }) });
    // Foreign: a request sealed to someone else.
    const carol = Identity.create('Carol');
    const aliceSealer = new RequestSealer({ identity: alice.p.vault.identity, clock: systemClock });
    const card = alice.p.vault.profileCard();
    const cardFields = { displayName: card.displayName, updatedAtMs: card.updatedAtMs, signature: card.signature };
    bob.tap.inject({ from: alice.p.publicKeyHex, payload: aliceSealer.seal({ to: Buffer.from(carol.publicKey).toString('hex'), body: { type: 'request.send', card: cardFields, note: '' } }) });
    // A name signed by someone else inside a genuine request of mallory's.
    bob.tap.inject({ from: Buffer.from(mallory.publicKey).toString('hex'), payload: forgedSealer.seal({ to: bob.p.publicKeyHex, body: { type: 'request.send', card: cardFields, note: '' } }) });
    // Not a request at all.
    bob.tap.inject({ from: alice.p.publicKeyHex, payload: 's1.AAAA' });

    expect(requests(bob).stats()).toEqual({ REPLAYED: 1, SENDER_MISMATCH: 1, DECRYPT_FAILED: 1, BAD_CARD: 1, MALFORMED: 1 });
    expect(requests(bob).overview().incoming).toEqual([]);
    expect(bob.p.vault.requests.incoming({ includeIgnored: true }).map((r) => r.card.displayName)).toEqual(['Alice']);
  });

  it('CONT-06: block refuses later requests and link set-up from that key, removes the contact; unblock lets it be added again', async () => {
    // Alice's request timers on a clock the test moves (the signaling and links keep real time).
    const clock = new ManualClock(Date.now());
    const alice = await peer('Alice', { requests: { resendIntervalMs: 60_000, clock } });
    const bob = await peer('Bob');
    await waitFor(() => connected(alice) && connected(bob), 'both connected');
    requests(alice).addContact(bob.p.vault.identity.userId);
    await waitFor(() => incomingFrom(bob, alice) !== undefined, 'bob has the request');
    requests(bob).accept(alice.p.publicKeyHex);
    await waitFor(() => presenceSeen(alice.p, bob.p) === 'online', 'mutual');

    requests(bob).block(alice.p.publicKeyHex);
    expect(bob.p.vault.contacts.get(alice.p.publicKeyHex)).toBeNull();
    expect(requests(bob).overview().blocked.map((b) => [b.publicKey, b.label])).toEqual([[alice.p.publicKeyHex, 'Alice']]);
    expect(bob.p.core.contacts.isBlocked(alice.p.publicKeyHex)).toBe(true);
    // The server no longer shows or relays between them: alice sees bob offline; no link can be offered.
    await waitFor(() => presenceSeen(alice.p, bob.p) === 'offline', 'alice sees bob offline');
    const opened = alice.p.core.openLink(bob.p.publicKeyHex);
    expect(opened.ok).toBe(false);
    // A relayed set-up message from alice never reaches bob's link manager (one from a stranger does, and is refused there).
    const before = bob.links().stats().refusedSignals.MALFORMED;
    bob.tap.inject({ from: alice.p.publicKeyHex, payload: 's1.AAAA' }, 'signal.relay');
    expect(bob.links().stats().refusedSignals.MALFORMED).toBe(before);
    bob.tap.inject({ from: Buffer.from(Identity.create('Dave').publicKey).toString('hex'), payload: 's1.AAAA' }, 'signal.relay');
    expect(bob.links().stats().refusedSignals.MALFORMED).toBe(before + 1);
    // Alice, still listing bob as pending, asks again later: dropped as BLOCKED, nothing stored.
    expect(pending(alice, bob)).toBe(false);
    alice.p.vault.contacts.remove(bob.p.publicKeyHex);
    requests(alice).addContact(bob.p.vault.identity.userId, { note: 'please' });
    await waitFor(() => requests(bob).stats().BLOCKED === 1, 'bob dropped the blocked request');
    expect(requests(bob).overview().incoming).toEqual([]);
    expect(() => bob.p.vault.contacts.add(alice.p.vault.identity.userId)).toThrow(expect.objectContaining({ code: 'CONTACT_BLOCKED' }));

    requests(bob).unblock(alice.p.publicKeyHex);
    expect(requests(bob).overview().blocked).toEqual([]);
    clock.advance(61_000);
    await waitFor(() => incomingFrom(bob, alice)?.note === 'please', 'after unblocking, alice’s request arrives again');
    requests(bob).accept(alice.p.publicKeyHex);
    await waitFor(() => presenceSeen(alice.p, bob.p) === 'online' && presenceSeen(bob.p, alice.p) === 'online', 'mutual again');
  });
});

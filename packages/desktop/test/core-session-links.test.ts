import type { LinkStatus } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { useLinkedSessions } from './helpers/linked-sessions';
import type { TestSession } from './helpers/sessions';
import { waitUntil } from './helpers/wait';

/**
 * Direct links through the bridge (P2P-01, P2P-03, P2P-05): two real CoreSessions (real vaults,
 * real client cores, real node-datachannel links on 127.0.0.1) against a real signaling server.
 */
const sessions = useLinkedSessions();

function linkEvents(s: TestSession, publicKey: string): LinkStatus[] {
  return s.events.filter((e) => e.event === 'links.changed').map((e) => e.payload as LinkStatus).filter((l) => l.publicKey === publicKey);
}

/** Alice and Bob, mutual contacts, both online. Returns each one's key as the other knows it. */
async function mutualPair(): Promise<{ alice: TestSession; bob: TestSession; aliceKey: string; bobKey: string }> {
  const { alice, bob, aliceKey, bobKey } = await sessions.mutualContacts();
  const online = async (viewer: TestSession, key: string) => (await viewer.call('contacts.list', {})).contacts.find((c) => c.publicKey === key)?.onlineStatus === 'online';
  await waitUntil(async () => (await online(alice, bobKey)) && (await online(bob, aliceKey)), 'both online');
  return { alice, bob, aliceKey, bobKey };
}

describe('CoreSession: direct links over the bridge (P2P-01, P2P-03, P2P-05)', () => {
  it('P2P-01, P2P-03: links.open to an online contact announces connecting, then open, direct, with a round-trip time, on both sides', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair();
    const answer = await alice.call('links.open', { publicKey: bobKey });
    expect(answer.publicKey).toBe(bobKey);
    expect(['connecting', 'open']).toContain(answer.state);

    await waitUntil(() => linkEvents(alice, bobKey).some((l) => l.state === 'open' && l.path === 'direct' && l.rttMs !== null), 'alice: open, direct, with an RTT');
    await waitUntil(() => linkEvents(bob, aliceKey).some((l) => l.state === 'open'), 'bob: open');
    expect(linkEvents(alice, bobKey)[0]?.state).toBe('connecting');
    const listed = await alice.call('links.list', {});
    expect(listed.warnings).toEqual([]);
    expect(listed.links).toEqual([expect.objectContaining({ publicKey: bobKey, state: 'open', path: 'direct', reason: null })]);
    // Opening again keeps the open link.
    expect((await alice.call('links.open', { publicKey: bobKey })).state).toBe('open');
    // No security warning on an honest link.
    expect(alice.events.some((e) => e.event === 'security.warning')).toBe(false);
  });

  it('PRES-01, P2P-01: while invisible, an app-made open (no intent, or auto) is refused with INVISIBLE and starts nothing; intent user opens', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair();
    await alice.call('presence.setStatus', { status: 'invisible' });
    await waitUntil(async () => (await bob.call('contacts.list', {})).contacts.find((c) => c.publicKey === aliceKey)?.onlineStatus === 'offline', 'alice shows offline to bob');
    // Selecting Bob's conversation (the app's open, without an intent) must not send Bob an offer.
    await expect(alice.call('links.open', { publicKey: bobKey })).rejects.toMatchObject({ code: 'INVISIBLE' });
    await expect(alice.call('links.open', { publicKey: bobKey, intent: 'auto' })).rejects.toMatchObject({ code: 'INVISIBLE' });
    // The refusal comes before any set-up: no link was started, so no offer (signal) went out.
    expect(linkEvents(alice, bobKey)).toEqual([]);
    expect((await alice.call('links.list', {})).links).toEqual([]);
    // An explicit act of the user opens even while invisible; Bob answers it.
    expect((await alice.call('links.open', { publicKey: bobKey, intent: 'user' })).state).toBe('connecting');
    await waitUntil(() => linkEvents(bob, aliceKey).some((l) => l.state === 'open'), 'bob: open');
    expect(linkEvents(bob, aliceKey)[0]?.state).toBe('connecting');
    expect(linkEvents(bob, aliceKey).filter((l) => l.state === 'connecting')).toHaveLength(1);
    // Once open, an app-made open keeps the link instead of failing.
    await waitUntil(() => linkEvents(alice, bobKey).some((l) => l.state === 'open'), 'alice: open');
    expect((await alice.call('links.open', { publicKey: bobKey })).state).toBe('open');
  });

  it('P2P-05: each side learns the other\'s display name over the link; a rename reaches the other at once', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair();
    const nameOf = async (viewer: TestSession, key: string) => (await viewer.call('contacts.list', {})).contacts.find((c) => c.publicKey === key)?.displayName;
    // The names may already have come with the contact request and its acceptance (CONT-06,
    // PROTOCOL.md 5.13): both are the same signed card; the rename below travels only over the link.
    await alice.call('links.open', { publicKey: bobKey });
    await waitUntil(async () => (await nameOf(alice, bobKey)) === 'Bob' && (await nameOf(bob, aliceKey)) === 'Alice', 'names from the cards');
    // The list the app gets as contacts.changed carries the name too.
    await waitUntil(() => alice.last('contacts.changed')?.contacts.find((c) => c.publicKey === bobKey)?.displayName === 'Bob', 'contacts.changed with the name');

    expect(await bob.call('profile.setDisplayName', { displayName: 'Robert' })).toMatchObject({ displayName: 'Robert' });
    await waitUntil(() => alice.last('contacts.changed')?.contacts.find((c) => c.publicKey === bobKey)?.displayName === 'Robert', 'the new name at alice');
    // A nickname still wins where the app shows names; the display name stays known.
    await alice.call('contacts.rename', { publicKey: bobKey, nickname: 'Bobby' });
    expect((await alice.call('contacts.list', {})).contacts[0]).toMatchObject({ nickname: 'Bobby', displayName: 'Robert' });
  });

  it('P2P-01: a link closes when the contact goes offline, and says why', async () => {
    const { alice, bob, bobKey } = await mutualPair();
    await alice.call('links.open', { publicKey: bobKey });
    await waitUntil(() => linkEvents(alice, bobKey).some((l) => l.state === 'open'), 'open');
    await bob.session.close();
    await waitUntil(() => linkEvents(alice, bobKey).at(-1)?.state === 'closed', 'closed');
    expect(linkEvents(alice, bobKey).at(-1)).toMatchObject({ state: 'closed', path: null, rttMs: null });
    expect(linkEvents(alice, bobKey).at(-1)?.reason).toMatch(/^[a-z-]+$/);
    expect((await alice.call('links.list', {})).links).toEqual([]);
    // The link may close (bob's goodbye) before the server reports him offline: wait for that.
    await waitUntil(async () => (await alice.call('contacts.list', {})).contacts[0]?.onlineStatus === 'offline', 'bob offline');
    await expect(alice.call('links.open', { publicKey: bobKey })).rejects.toMatchObject({ code: 'LINK_UNREACHABLE' });
  });
});

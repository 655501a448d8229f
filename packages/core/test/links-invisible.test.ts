import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { befriendCores, cleanupLinkCores, type LinkCore, linkStates, sees, startLinkCore } from './harness/link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Invisible does not leak through links (PRES-03 with P2P-01): two real ClientCores built by
 * createClientCore (real vaults, a real signaling server process, real data channels on
 * 127.0.0.1). What the contact's core receives through the relay is recorded as the server sent
 * it, so "nothing reached the contact" is checked where a contact would look.
 */
let server: ServerProcess;
const cores: LinkCore[] = [];

async function pair(): Promise<[LinkCore, LinkCore]> {
  const alice = await startLinkCore('Alice', server.url);
  const bob = await startLinkCore('Bob', server.url);
  cores.push(alice, bob);
  befriendCores(alice, bob);
  await waitFor(() => sees(alice, bob) === 'online' && sees(bob, alice) === 'online', 'online to each other');
  return [alice, bob];
}

/** What bob's core received through the relay from alice. */
function fromAlice(bob: LinkCore, alice: LinkCore): number {
  return bob.relayed.filter((m) => m.from === alice.hex).length;
}

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

describe('invisible and direct links (PRES-03, P2P-01)', () => {
  it('PRES-03: going invisible closes the link on both sides; then an automatic open is refused with INVISIBLE and nothing reaches the contact', async () => {
    const [alice, bob] = await pair();
    expect(alice.root.openLink(bob.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => alice.links.info(bob.hex)?.state === 'open' && bob.links.info(alice.hex)?.state === 'open', 'linked');

    alice.root.setStatus('invisible');
    expect(linkStates(alice, bob).at(-1)).toBe('closed:contact-offline');
    await waitFor(() => bob.links.info(alice.hex) === null && sees(bob, alice) === 'offline', 'bob: link closed, alice offline');
    expect(linkStates(bob, alice).at(-1)).toMatch(/^closed:contact-offline$/);

    const sent = fromAlice(bob, alice);
    expect(alice.root.openLink(bob.hex, { intent: 'auto' })).toMatchObject({ ok: false, code: 'INVISIBLE' });
    expect(alice.links.list()).toEqual([]);
    expect(fromAlice(bob, alice)).toBe(sent);
    expect(sees(bob, alice)).toBe('offline');
  });

  it('PRES-03: an offer that reaches an invisible user who did not ask is dropped unanswered — the contact learns nothing', async () => {
    const [alice, bob] = await pair();
    // Bob opens while alice is still visible; the relay (failure injection) holds his offer back
    // until she has gone invisible, as a slow relay or a crossing presence update would.
    const held: { from: string; payload: string }[] = [];
    alice.tamperIncoming = (m) => (m.from === bob.hex ? (held.push(m), []) : [m]);
    expect(bob.root.openLink(alice.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => held.length >= 1, 'bob’s offer reached alice’s socket');
    alice.root.setStatus('invisible');
    for (const m of held.splice(0)) alice.links.handleSignal(m);

    expect(alice.links.stats().invisibleDroppedOffers).toBe(1);
    expect(alice.links.list()).toEqual([]);
    // Bob's set-up ends (alice shows offline to him), with nothing from her.
    await waitFor(() => bob.links.info(alice.hex) === null && sees(bob, alice) === 'offline', 'bob gave up; alice offline to him');
    expect(linkStates(bob, alice).at(-1)).toMatch(/^closed:(contact-offline|timeout)$/);
    expect(fromAlice(bob, alice)).toBe(0);
  });

  it('PRES-03: the user may open a link while invisible; the contact, who still sees them offline, answers it', async () => {
    const [alice, bob] = await pair();
    alice.root.setStatus('invisible');
    await waitFor(() => sees(bob, alice) === 'offline', 'alice offline to bob');
    expect(bob.root.openLink(alice.hex)).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });

    expect(alice.root.openLink(bob.hex, { intent: 'user' })).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => alice.links.info(bob.hex)?.state === 'open' && bob.links.info(alice.hex)?.state === 'open', 'linked on alice’s request');
    expect(sees(bob, alice)).toBe('offline');
  });
});

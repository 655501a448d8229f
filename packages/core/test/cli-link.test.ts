import { describe, expect, it } from 'vitest';
import { Identity } from '../src/identity/identity';
import { useCliHarness } from './harness/cli-harness';
import { type LinkCore, startLinkCore } from './harness/link-core';
import { waitFor } from './harness/server-process';

/**
 * `discordopus-cli link <contact>` (P2P-01, P2P-03: headless links), run as the CLI runs (main()
 * with its own streams) against a real signaling server process; the contact is a real client
 * core (createClientCore) in this process. ICE stays on 127.0.0.1.
 */
const { run, aliceAndBob } = useCliHarness<LinkCore>({
  tempPrefix: 'dop-cli-link-',
  startCore: (name, url) => startLinkCore(name, url),
  userIdOf: (c) => c.vault.identity.userId,
});

const linkLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l.event === 'link');

describe('discordopus-cli link (P2P-01, P2P-03)', () => {
  it('P2P-01, P2P-03: link <user ID> --once opens the link when the contact is online, prints JSON lines up to "open, direct, RTT", closes it and exits 0', async () => {
    const { home, aliceId, bob } = await aliceAndBob();
    const r = await run(home, ['link', bob.vault.identity.userId, '--once']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const links = linkLines(r.lines);
    expect(links[0]).toEqual({ event: 'link', contact: bob.vault.identity.userId, state: 'connecting', reason: null, path: null, rttMs: null });
    expect(links.at(-2)).toEqual({ event: 'link', contact: bob.vault.identity.userId, state: 'open', reason: null, path: 'direct', rttMs: expect.any(Number) });
    // Then the process leaves, and says so.
    expect(links.at(-1)).toMatchObject({ state: 'closed', reason: 'shutdown' });
    expect(r.lines).toContainEqual(expect.objectContaining({ event: 'presence', contact: bob.vault.identity.userId, status: 'online' }));
    // The other side saw the same link open, and it closed when the CLI exited.
    expect(bob.changes.filter((c) => c.state === 'open').length).toBeGreaterThan(0);
    await waitFor(() => bob.changes.at(-1)?.state === 'closed', 'bob saw the CLI leave');
    expect(aliceId).toMatch(/^dopus1/);
  });

  it('P2P-01: link <nickname> runs until Ctrl-C, then closes the link (shutdown) and exits 0', async () => {
    const { home, bob } = await aliceAndBob();
    const r = await run(home, ['link', 'bobby'], (out) => /"state":"open"[^\n]*"rttMs":\d/.test(out));
    expect(r.code).toBe(0);
    expect(linkLines(r.lines).map((l) => l.state)).toEqual(expect.arrayContaining(['connecting', 'open', 'closed']));
    expect(linkLines(r.lines).at(-1)).toMatchObject({ state: 'closed', reason: 'shutdown' });
    await waitFor(() => bob.changes.at(-1)?.state === 'closed', 'bob saw the link close');
  });

  it('CONT-01: a contact that is not in the list, or no contact at all, is refused with a code and a sentence', async () => {
    const { home } = await aliceAndBob();
    const stranger = await run(home, ['link', Identity.create('Carol').userId]);
    expect(stranger.code).toBe(1);
    expect(stranger.err).toMatch(/^CONTACT_NOT_FOUND: That user ID is not in your contacts/);
    expect((await run(home, ['link', 'nobody'])).err).toMatch(/^CONTACT_NOT_FOUND: No contact is called “nobody”/);
    expect((await run(home, ['link'])).err).toMatch(/^USAGE: /);
  });
});

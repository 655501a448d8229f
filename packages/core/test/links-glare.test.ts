import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { befriendCores, cleanupLinkCores, type LinkCore, linkStates, sees, startLinkCore } from './harness/link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Glare through the real parts (P2P-01, PROTOCOL.md 6.4): two real ClientCores (real vaults, a
 * real signaling server process, real data channels on 127.0.0.1) open a link to each other in
 * the same turn. Exactly one link must survive — the one offered by the side with the smaller
 * public key — and both sides must see that same link open.
 */
let server: ServerProcess;
const cores: LinkCore[] = [];

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

describe('glare between real cores (P2P-01)', () => {
  it('P2P-01: both open at once → exactly one link, the smaller key’s offer, open on both sides', async () => {
    const alice = await startLinkCore('Alice', server.url);
    const bob = await startLinkCore('Bob', server.url);
    cores.push(alice, bob);
    befriendCores(alice, bob);
    await waitFor(() => sees(alice, bob) === 'online' && sees(bob, alice) === 'online', 'online to each other');
    const [small, large] = alice.hex < bob.hex ? [alice, bob] : [bob, alice];

    expect(alice.root.openLink(bob.hex)).toEqual({ ok: true, state: 'connecting' });
    expect(bob.root.openLink(alice.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => small.links.info(large.hex)?.state === 'open' && large.links.info(small.hex)?.state === 'open', 'one link open on both sides');

    const smallInfo = small.links.info(large.hex);
    const largeInfo = large.links.info(small.hex);
    expect(smallInfo).toMatchObject({ state: 'open', initiator: 'local' });
    expect(largeInfo).toMatchObject({ state: 'open', initiator: 'remote', linkId: smallInfo?.linkId });
    // The smaller key kept its own set-up; the larger dropped its own (glare) and answered.
    expect(linkStates(small, large)).toEqual(['connecting', 'open']);
    expect(linkStates(large, small)).toEqual(['connecting', 'closed:glare', 'connecting', 'open']);
    expect(small.links.list()).toHaveLength(1);
    expect(large.links.list()).toHaveLength(1);
    // The surviving link carries the heartbeat both ways.
    await waitFor(() => small.links.info(large.hex)?.rttMs != null && large.links.info(small.hex)?.rttMs != null, 'heartbeat both ways');
  });
});

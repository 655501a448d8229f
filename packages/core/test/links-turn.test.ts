import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { startCoturn } from '@discordopus/test-support/coturn';
import { befriendCores, cleanupLinkCores, type LinkCore, type LinkCoreOptions, sees, startLinkCore, linkStates } from './harness/link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * NAT traversal paths (P2P-03) with a real coturn on loopback and the TURN credentials the real
 * signaling server issues (TURN REST, `expiry:session` usernames). Every candidate is 127.0.0.1.
 */
const SECRET = 'links-turn-test-secret';
let coturn: Awaited<ReturnType<typeof startCoturn>>;
let server: ServerProcess;

const cores: LinkCore[] = [];

/**
 * On 2 shared, busy cores a TURN allocation plus relayed checks can take many seconds. The
 * links get a long set-up timeout, and the test waits for the link's own decision (open, or
 * closed:timeout — which the assertions then show) rather than racing it with a shorter wait
 * of its own: slowness is tolerated, a link that never opens still fails (P2P-03).
 */
const SETUP_TIMEOUT_MS = 60_000;
const DECIDED_WITHIN_MS = SETUP_TIMEOUT_MS + 15_000;
const TEST_TIMEOUT_MS = DECIDED_WITHIN_MS + 45_000;
const LINK_TUNABLES: LinkCoreOptions['tunables'] = { setupTimeoutMs: SETUP_TIMEOUT_MS };

async function core(name: string, options: LinkCoreOptions = {}, url = server.url): Promise<LinkCore> {
  const c = await startLinkCore(name, url, options);
  cores.push(c);
  return c;
}

function turnFlags(port: number): string[] {
  return ['--offline-grace-ms', '0', '--turn-urls', `turn:127.0.0.1:${port}?transport=udp`, '--turn-secret', SECRET];
}

beforeAll(async () => {
  // Relayed addresses on 127.0.0.2 (still loopback): the TURN server then tells a relay address
  // from a host address, as it does between real machines, and refuses a host-to-relay check
  // for lack of a permission.
  coturn = await startCoturn(SECRET, '127.0.0.2');
  server = await startServerProcess(await freePort(), turnFlags(coturn.port));
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

afterAll(async () => {
  await server.kill();
  await coturn.stop();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

async function linkedPair(aliceOptions: LinkCoreOptions, url = server.url): Promise<[LinkCore, LinkCore]> {
  const alice = await core('Alice', { tunables: LINK_TUNABLES, ...aliceOptions }, url);
  const bob = await core('Bob', { tunables: LINK_TUNABLES }, url);
  befriendCores(alice, bob);
  await waitFor(() => sees(alice, bob) === 'online' && sees(bob, alice) === 'online', 'online to each other', 30_000);
  alice.root.openLink(bob.hex);
  // Alice's link itself decides within SETUP_TIMEOUT_MS: opened, or closed with a reason.
  await waitFor(() => linkStates(alice, bob).length >= 2, 'alice decided', DECIDED_WITHIN_MS);
  return [alice, bob];
}

describe('direct or relayed (P2P-03)', () => {
  it('P2P-03: with relay-only set, the link goes through the real TURN server and reports "relayed"', async () => {
    const [alice, bob] = await linkedPair({ relayOnly: true });
    expect(linkStates(alice, bob)).toEqual(['connecting', 'open']);
    expect(alice.links.info(bob.hex)?.path).toBe('relayed');
    // Bob's side decides by its own set-up timeout too; a path other than relayed fails below.
    await waitFor(() => bob.links.info(alice.hex)?.path != null || linkStates(bob, alice).some((s) => s.startsWith('closed')), 'bob decided', DECIDED_WITHIN_MS);
    expect(bob.links.info(alice.hex)?.path).toBe('relayed');
  }, TEST_TIMEOUT_MS);

  it('P2P-03: without relay-only, the same two cores link directly and report "direct"', async () => {
    const [alice, bob] = await linkedPair({});
    expect(linkStates(alice, bob)).toEqual(['connecting', 'open']);
    expect(alice.links.info(bob.hex)?.path).toBe('direct');
  }, TEST_TIMEOUT_MS);
});

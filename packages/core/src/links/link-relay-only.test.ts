import { createHmac } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCoturn } from '@discordopus/test-support/coturn';
import { waitFor } from '@discordopus/test-support';
import type { IceServer } from '../ice/ice-config';
import { ManualClock } from './manual-clock.test-helper';
import { befriendNodes, isOpen, makeNode, TestRelay, type NodeOptions, type TestNode } from './link-test-kit.test-helper';

/**
 * Relay-only against a malicious contact (P2P-03, review finding HIGH): a contact who labels an
 * address of its own choosing `typ relay` must not get a single packet from the relay-only
 * side's host socket, while the honest relayed path still opens. Real coturn on loopback
 * (relayed addresses on 127.0.0.2, so they differ from host ones as between real machines), real
 * node-datachannel, UDP trap sockets owned by the test.
 */
const SECRET = 'link-relay-only-test-secret';
let coturn: Awaited<ReturnType<typeof startCoturn>>;
let clock: ManualClock;
let relay: TestRelay;
const nodes: TestNode[] = [];
const traps: Socket[] = [];

beforeAll(async () => {
  coturn = await startCoturn(SECRET, '127.0.0.2');
});

afterAll(async () => {
  await coturn.stop();
});

beforeEach(() => {
  clock = new ManualClock();
  relay = new TestRelay();
});

afterEach(() => {
  for (const n of nodes.splice(0)) n.manager.closeAll('shutdown');
  for (const t of traps.splice(0)) t.close();
});

/** TURN REST credentials as the signaling server issues them (`expiry:id`, HMAC-SHA1 of the secret). */
function turnServer(id: string): IceServer {
  const username = `${Math.floor(Date.now() / 1000) + 3600}:${id}`;
  const credential = createHmac('sha1', SECRET).update(username).digest('base64');
  return { urls: [`turn:127.0.0.1:${coturn.port}?transport=udp`], username, credential };
}

function node(name: string, extra: Partial<NodeOptions> = {}): TestNode {
  const n = makeNode(name, { clock, relay, iceServers: [turnServer(name)], ...extra });
  nodes.push(n);
  return n;
}

/** A UDP socket that records every datagram it receives. */
async function trap(address: string): Promise<{ port: number; received: { from: string }[] }> {
  const socket = createSocket('udp4');
  traps.push(socket);
  const received: { from: string }[] = [];
  socket.on('message', (_msg, rinfo) => received.push({ from: `${rinfo.address}:${rinfo.port}` }));
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { port: socket.address().port, received };
}

describe('relay-only against a contact who lies about relay candidates (P2P-03)', () => {
  it('P2P-03: a fake `typ relay` candidate pointing at a socket the contact owns gets nothing; the honest relayed link opens', async () => {
    const trapA = await trap('127.0.0.1');
    const trapB = await trap('127.0.0.3');
    // Bob offers his real candidates (host and TURN relay) plus two invented "relay" ones with
    // host-like priority, so an engine that used them would check them first.
    const fakes = [
      `candidate:9001 1 UDP 2130706431 127.0.0.1 ${trapA.port} typ relay raddr 0.0.0.0 rport 0`,
      `candidate:9002 1 UDP 2130706430 127.0.0.3 ${trapB.port} typ relay raddr 0.0.0.0 rport 0`,
    ];
    const bob = node('bob', { onTransport: (t) => (t.extraLocalCandidates = [...fakes]) });
    const alice = node('alice', { relayOnly: true });
    befriendNodes(alice, bob);

    expect(alice.manager.open(bob.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'relayed link open', 20_000);
    expect(alice.manager.info(bob.hex)?.path).toBe('relayed');
    // Let the heartbeat run both ways (the engine keeps checking pairs meanwhile).
    await waitFor(() => alice.manager.info(bob.hex)?.rttMs != null && bob.manager.info(alice.hex)?.rttMs != null, 'heartbeat both ways');

    expect(trapA.received).toEqual([]);
    expect(trapB.received).toEqual([]);
    expect(alice.manager.stats().droppedCandidates).toBeGreaterThanOrEqual(2);
  });

  it('P2P-03: fake `typ relay` candidates inside the signed description (a=candidate lines) are stripped: they get nothing; the relayed link opens', async () => {
    const trapA = await trap('127.0.0.1');
    const trapB = await trap('127.0.0.3');
    // Bob's offer carries the lies in its SDP, where the candidate gate never looks: only
    // withoutCandidateLines keeps the engine from checking them from alice's host socket.
    const fakes = [
      `a=candidate:9101 1 UDP 2130706431 127.0.0.1 ${trapA.port} typ relay raddr 0.0.0.0 rport 0`,
      `a=candidate:9102 1 UDP 2130706430 127.0.0.3 ${trapB.port} typ relay raddr 0.0.0.0 rport 0`,
      `a=candidate:9103 1 UDP 2130706429 127.0.0.1 ${trapA.port} typ host`,
    ];
    const bob = node('bob', { onTransport: (t) => (t.extraSdpLines = [...fakes]) });
    const alice = node('alice', { relayOnly: true });
    befriendNodes(alice, bob);

    // Bob offers, so the lies reach alice inside the offer (and again if he answers a reopen).
    expect(bob.manager.open(alice.hex)).toEqual({ ok: true, state: 'connecting' });
    await waitFor(() => isOpen(alice, bob) && isOpen(bob, alice), 'relayed link open', 20_000);
    expect(alice.manager.info(bob.hex)?.path).toBe('relayed');
    await waitFor(() => alice.manager.info(bob.hex)?.rttMs != null && bob.manager.info(alice.hex)?.rttMs != null, 'heartbeat both ways');

    expect(trapA.received).toEqual([]);
    expect(trapB.received).toEqual([]);
  });
});

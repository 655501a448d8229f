import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { sdpFingerprint } from '@discordopus/protocol';
import type { LinkCandidate, LinkTransport } from './engine/link-transport';
import { createNdcTransport } from './engine/ndc-transport';
import { LinkSetup } from './link-setup';

/**
 * The held-early candidates path of one link's set-up (P2P-01, P2P-03; review finding 6): a
 * contact's candidates that arrive before its description are held, then handed to the engine
 * once the description is applied — under relay-only through the RelayCandidateGate, which
 * releases a relay candidate only once this side's own relay address is known. Real
 * node-datachannel transports on 127.0.0.1; the answerer's `addRemoteCandidates` is recorded.
 */
const LOOPBACK = { ice: { iceServers: [], iceTransportPolicy: 'all' as const }, bindAddress: '127.0.0.1' };
const open: LinkTransport[] = [];

afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

/** A real offer from a real offerer transport. */
async function realOffer(): Promise<{ type: 'link.offer'; sdp: string; fingerprint: NonNullable<ReturnType<typeof sdpFingerprint>> }> {
  const offerer = createNdcTransport({ role: 'offerer', name: 'offerer', ...LOOPBACK });
  open.push(offerer);
  let sdp: string | null = null;
  offerer.on('localDescription', (e) => (sdp = e.sdp));
  offerer.start();
  await waitFor(() => sdp !== null, 'the offer');
  const text = sdp as unknown as string;
  return { type: 'link.offer', sdp: text, fingerprint: sdpFingerprint(text)! };
}

function answerer(relayOnly: boolean): { setup: LinkSetup; added: LinkCandidate[]; failures: string[] } {
  const transport = createNdcTransport({ role: 'answerer', name: 'answerer', ...LOOPBACK });
  open.push(transport);
  const added: LinkCandidate[] = [];
  const real = transport.addRemoteCandidates.bind(transport);
  transport.addRemoteCandidates = (candidates) => {
    added.push(...candidates);
    real(candidates);
  };
  const failures: string[] = [];
  const setup = new LinkSetup({
    transport,
    relayOnly,
    sendSignal: () => {},
    authFailed: (reason) => failures.push(`auth: ${reason}`),
    failed: () => failures.push('failed'),
    dropped: (type) => failures.push(`dropped ${type}`),
  });
  return { setup, added, failures };
}

const host = (port: number): LinkCandidate => ({ candidate: `candidate:1 1 UDP 2130706431 127.0.0.1 ${port} typ host`, mid: '0' });
const relay = (address: string, port: number): LinkCandidate => ({ candidate: `candidate:2 1 UDP 16777215 ${address} ${port} typ relay raddr 0.0.0.0 rport 0`, mid: '0' });

describe('LinkSetup: candidates that arrive before the description (P2P-01, P2P-03)', () => {
  it('P2P-01: early candidates are held, handed over once the description is applied; later ones go at once', async () => {
    const offer = await realOffer();
    const { setup, added, failures } = answerer(false);
    setup.handleCandidates([host(40_001), host(40_002)]);
    expect(added).toEqual([]);
    setup.handleDescription(offer);
    expect(added).toEqual([host(40_001), host(40_002)]);
    setup.handleCandidates([host(40_003)]);
    expect(added).toEqual([host(40_001), host(40_002), host(40_003)]);
    expect(failures).toEqual([]);
  });

  it('P2P-03: relay-only: early host candidates are dropped; an early relay candidate waits for our own relay address, then goes; one elsewhere is dropped at finish', async () => {
    const offer = await realOffer();
    const { setup, added, failures } = answerer(true);
    setup.handleCandidates([host(40_001), relay('127.0.0.2', 50_000), relay('127.0.0.3', 50_001)]);
    setup.handleDescription(offer);
    expect(added).toEqual([]);
    expect(setup.droppedCandidates).toBe(1); // the host one
    setup.localCandidates([relay('127.0.0.2', 60_000)]); // our TURN allocation is on 127.0.0.2
    expect(added).toEqual([relay('127.0.0.2', 50_000)]);
    setup.finish();
    expect(setup.droppedCandidates).toBe(2);
    expect(failures).toEqual([]);
  });
});

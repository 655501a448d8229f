import { base64urlToBytes, bytesToBase64url, bytesToHex, PEER_LIMITS, type LinkSignalBody, type ServerMessage } from '@discordopus/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Identity } from '../src/identity/identity';
import { SignalSealer, type OpenResult } from '../src/links/sealing/signal-sealer';
import { SignalingClient } from '../src/signaling/signaling-client';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * P2P-04 through the real relay: sealed set-up messages cross a real signaling server process
 * between real SignalingClients; the sender the server stamps is the one the sealer checks.
 */
interface Peer {
  name: string;
  identity: Identity;
  hex: string;
  client: SignalingClient;
  sealer: SignalSealer;
  relayed: { from: string; payload: string }[];
  online: Set<string>;
}

let server: ServerProcess;
const peers: Peer[] = [];

function peer(name: string, contacts: () => Identity[]): Peer {
  const identity = Identity.create(name);
  const client = new SignalingClient({ urls: [server.url], signer: identity, loginStatus: () => 'online', random: () => 0 });
  const p: Peer = { name, identity, hex: bytesToHex(identity.publicKey), client, sealer: new SignalSealer({ identity, clock: { now: () => Date.now() } }), relayed: [], online: new Set() };
  client.on('connected', () => client.send({ type: 'contacts.set', contacts: contacts().map((c) => bytesToBase64url(c.publicKey)) }));
  client.on('message', ({ message }: { message: ServerMessage }) => {
    if (message.type === 'signal.relay') p.relayed.push({ from: bytesToHex(base64urlToBytes(message.from)), payload: message.payload });
    if (message.type === 'presence.snapshot') for (const c of message.contacts) p.online.add(bytesToHex(base64urlToBytes(c.publicKey)));
    if (message.type === 'presence.update') {
      const hex = bytesToHex(base64urlToBytes(message.publicKey));
      if (message.status === 'offline') p.online.delete(hex);
      else p.online.add(hex);
    }
  });
  peers.push(p);
  return p;
}

let alice: Peer;
let bob: Peer;
let carol: Peer;
let requestId = 0;

function send(from: Peer, to: Peer, payload: string): void {
  from.client.send({ type: 'signal.send', id: `r${++requestId}`, to: bytesToBase64url(to.identity.publicKey), payload });
}

/** Wait for the next relayed message at `at` and open it with the sender the server stamped. */
async function receive(at: Peer, count: number): Promise<OpenResult[]> {
  await waitFor(() => at.relayed.length >= count, `${at.name} got ${count} relayed message(s)`);
  return at.relayed.splice(0, count).map((r) => at.sealer.open(r));
}

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
  alice = peer('Alice', () => [bob.identity]);
  bob = peer('Bob', () => [alice.identity, carol.identity]);
  carol = peer('Carol', () => [bob.identity]);
  for (const p of peers) p.client.start();
  await waitFor(
    () => bob.online.has(alice.hex) && bob.online.has(carol.hex) && alice.online.has(bob.hex) && carol.online.has(bob.hex),
    'the three see each other online',
  );
});

afterAll(async () => {
  for (const p of peers) p.client.stop();
  await server?.kill('SIGKILL');
});

const LINK = bytesToBase64url(new Uint8Array(16).fill(42));
const FP = { algorithm: 'sha-256' as const, value: Array(32).fill('5A').join(':') };
const SDP = 'v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\nc=IN IP4 127.0.0.1\r\na=fingerprint:sha-256 ' + FP.value + '\r\n';

describe('sealed set-up through the real signaling server (P2P-04)', () => {
  it('P2P-04: offer, candidates and bye arrive in order, open with the server-stamped sender, and the server relays only opaque text', async () => {
    const bodies: LinkSignalBody[] = [
      { type: 'link.offer', sdp: SDP, fingerprint: FP },
      { type: 'link.candidates', candidates: [{ candidate: 'candidate:1 1 UDP 2122317823 127.0.0.1 50123 typ host', mid: '0' }] },
      { type: 'link.bye', reason: 'timeout' },
    ];
    const payloads = bodies.map((body, i) => alice.sealer.seal({ to: bob.hex, linkId: LINK, seq: i + 1, body }));
    for (const payload of payloads) send(alice, bob, payload);
    await waitFor(() => bob.relayed.length >= 3, 'bob got the three messages');
    expect(bob.relayed.map((r) => r.payload)).toEqual(payloads);
    for (const r of bob.relayed) {
      expect(r.from).toBe(alice.hex);
      for (const secret of ['127.0.0.1', 'candidate', FP.value, LINK, 'link.offer']) expect(r.payload).not.toContain(secret);
    }
    const opened = await receive(bob, 3);
    expect(opened.map((o) => (o.ok ? o.body : o.code))).toEqual(bodies);
  });

  it('P2P-04: a message delivered twice (a replaying network or relay) is acted on once', async () => {
    const payload = alice.sealer.seal({ to: bob.hex, linkId: LINK, seq: 10, body: { type: 'link.bye', reason: 'idle' } });
    send(alice, bob, payload);
    send(alice, bob, payload);
    const [first, second] = await receive(bob, 2);
    expect(first?.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, code: 'REPLAYED' });
  });

  it("P2P-04: another contact forwarding Alice's sealed message is caught by the server's stamp; a third party cannot open it", async () => {
    const payload = alice.sealer.seal({ to: bob.hex, linkId: LINK, seq: 20, body: { type: 'link.bye', reason: 'idle' } });
    send(carol, bob, payload);
    const [forwarded] = await receive(bob, 1);
    expect(forwarded).toMatchObject({ ok: false, code: 'SENDER_MISMATCH' });
    expect(carol.sealer.open({ from: alice.hex, payload })).toMatchObject({ ok: false, code: 'DECRYPT_FAILED' });
    // The genuine message still goes through afterwards.
    send(alice, bob, payload);
    const [genuine] = await receive(bob, 1);
    expect(genuine?.ok).toBe(true);
  });

  it('P2P-04: the largest candidate batch the schema allows passes the server limits and opens', async () => {
    const body: LinkSignalBody = {
      type: 'link.candidates',
      candidates: Array.from({ length: PEER_LIMITS.maxCandidatesPerMessage }, (_, i) => ({
        candidate: `candidate:${i} `.padEnd(PEER_LIMITS.maxCandidateChars, 'x'),
        mid: 'm'.repeat(PEER_LIMITS.maxMidChars),
      })),
    };
    send(alice, bob, alice.sealer.seal({ to: bob.hex, linkId: LINK, seq: 30, body }));
    const [opened] = await receive(bob, 1);
    expect(opened).toMatchObject({ ok: true, body });
  });
});

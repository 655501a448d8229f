import fc from 'fast-check';
import { base64urlToBytes, bytesToBase64url, SEALED_SIGNAL_PREFIX } from '@discordopus/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { craftSealed } from './sealing/seal-test-kit';
import { ManualClock } from './manual-clock.test-helper';
import { befriendNodes, isOpen, makeNode, statesOf, TestRelay, type NodeOptions, type TestNode } from './link-test-kit.test-helper';

let clock: ManualClock;
let relay: TestRelay;
const nodes: TestNode[] = [];

function node(name: string, extra: Partial<NodeOptions> = {}): TestNode {
  const n = makeNode(name, { clock, relay, ...extra });
  nodes.push(n);
  return n;
}

beforeEach(() => {
  clock = new ManualClock();
  relay = new TestRelay();
});

afterEach(() => {
  for (const n of nodes.splice(0)) n.manager.closeAll('shutdown');
});

async function openPair(a: TestNode, b: TestNode): Promise<void> {
  a.manager.open(b.hex);
  await waitFor(() => isOpen(a, b) && isOpen(b, a), `${a.name} and ${b.name} linked`);
}

/** The raw transport of the newest link a node has, to play a misbehaving peer. */
function rawOf(n: TestNode): { send(text: string): boolean } {
  const t = n.transports.at(-1);
  if (!t) throw new Error(`${n.name} has no transport`);
  return t;
}

function flipByte(payload: string): string {
  const bytes = base64urlToBytes(payload.slice(SEALED_SIGNAL_PREFIX.length));
  const i = bytes.length - 20;
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return SEALED_SIGNAL_PREFIX + bytesToBase64url(bytes);
}

describe('a relay in the middle of the set-up (P2P-02, P2P-04)', () => {
  it('P2P-04: a relay that alters a sealed message gets it refused and counted, a security warning, and no link', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    relay.tamper = (m) => [{ ...m, payload: flipByte(m.payload) }];
    alice.manager.open(bob.hex);
    await waitFor(() => bob.warnings.length > 0, 'bob warned');
    expect(bob.warnings[0]).toMatchObject({ peer: alice.hex, code: 'LINK_AUTH_FAILED' });
    expect(bob.manager.stats().refusedSignals.DECRYPT_FAILED).toBeGreaterThan(0);
    expect(bob.states).toEqual([]);
    clock.advance(20_000);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout']);
  });

  it('P2P-04: a relay that replays every set-up message gets the copies refused; the link opens once', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    relay.tamper = (m) => [m, m];
    await openPair(alice, bob);
    await waitFor(() => bob.manager.stats().refusedSignals.REPLAYED > 0 && alice.manager.stats().refusedSignals.REPLAYED > 0, 'copies refused');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'open']);
    expect(statesOf(bob, alice)).toEqual(['connecting', 'open']);
    expect(bob.warnings[0]).toMatchObject({ peer: alice.hex, code: 'LINK_AUTH_FAILED' });
    // A replay of an old offer later (a new link id is needed for a new link) changes nothing.
    const oldOffer = relay.log.find((m) => m.from === alice.hex);
    relay.tamper = (m) => [m];
    const before = bob.manager.stats().refusedSignals.REPLAYED;
    if (oldOffer) relay.send(oldOffer.from, oldOffer.to, oldOffer.payload);
    await waitFor(() => bob.manager.stats().refusedSignals.REPLAYED > before, 'late replay refused');
    expect(statesOf(bob, alice)).toEqual(['connecting', 'open']);
  });

  it('P2P-02: a relay that answers for someone else (another key, or a re-stamped sender) gets no link and a warning', async () => {
    const alice = node('alice');
    const bob = node('bob');
    const mallory = node('mallory');
    befriendNodes(alice, bob);
    befriendNodes(alice, mallory);
    // The relay swallows what alice sends to bob and answers in bob's name with mallory's help.
    relay.tamper = (m) => (m.from === alice.hex && m.to === bob.hex ? [] : [m]);
    alice.manager.open(bob.hex);
    const linkId = alice.manager.info(bob.hex)?.linkId ?? '';
    const answer = JSON.stringify({ type: 'link.bye', reason: 'idle' });
    // 1. Mallory signs as herself; the relay stamps it as bob's.
    relay.tamper = (m) => [m];
    const asMallory = craftSealed({ signer: mallory.identity, encryptTo: alice.identity.publicKey, linkId, seq: 1, sentAtMs: clock.now(), bodyJson: answer });
    alice.manager.handleSignal({ from: bob.hex, payload: asMallory });
    // 2. Mallory claims to be bob inside the signed body.
    const claimsBob = craftSealed({
      signer: mallory.identity,
      claimedSender: bob.identity.publicKey,
      encryptTo: alice.identity.publicKey,
      linkId,
      seq: 2,
      sentAtMs: clock.now(),
      bodyJson: answer,
    });
    alice.manager.handleSignal({ from: bob.hex, payload: claimsBob });
    // 3. A message bob sealed for mallory, re-sent to alice.
    const forMallory = craftSealed({ signer: bob.identity, encryptTo: mallory.identity.publicKey, linkId, seq: 3, sentAtMs: clock.now(), bodyJson: answer });
    alice.manager.handleSignal({ from: bob.hex, payload: forMallory });
    const refused = alice.manager.stats().refusedSignals;
    expect(refused.SENDER_MISMATCH).toBe(1);
    expect(refused.BAD_SIGNATURE).toBe(1);
    expect(refused.DECRYPT_FAILED).toBe(1);
    expect(alice.warnings.map((w) => w.peer)).toEqual([bob.hex, bob.hex, bob.hex]);
    // None of them touched the link being set up.
    expect(statesOf(alice, bob)).toEqual(['connecting']);
  });

  it('P2P-02: a DTLS man in the middle (the transport reports another fingerprint than the contact signed) closes the link with LINK_AUTH_FAILED on both sides', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    const swapped = { algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'AB').join(':') };
    alice.manager.open(bob.hex);
    const t = alice.transports.at(-1);
    if (t) t.fakeRemoteFingerprint = swapped;
    await waitFor(() => statesOf(alice, bob).length === 2 && statesOf(bob, alice).at(-1)?.startsWith('closed') === true, 'both closed');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:auth-failed']);
    expect(statesOf(bob, alice)).toEqual(['connecting', 'closed:auth-failed']);
    expect(alice.warnings).toEqual([{ peer: bob.hex, code: 'LINK_AUTH_FAILED', reason: expect.stringContaining('not the one the contact signed for') }]);
    // An authentication failure is not retried on its own.
    clock.advance(120_000);
    expect(alice.manager.list()).toEqual([]);
  });

  it('P2P-02: a hello signed over other fingerprints than this side’s transport reports fails verification', async () => {
    const alice = node('alice');
    // Bob's transport misreports his own certificate: the hello he signs covers a fingerprint
    // alice never saw, as when a man in the middle terminates DTLS on bob's side.
    const bogus = { algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, () => 'CD').join(':') };
    const bob = node('bob', { onTransport: (t) => (t.fakeLocalFingerprint = bogus) });
    befriendNodes(alice, bob);
    alice.manager.open(bob.hex);
    await waitFor(() => alice.warnings.length > 0, 'alice warned');
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:auth-failed']);
    expect(alice.warnings[0]?.reason).toMatch(/not signed by the contact/);
  });

  it('P2P-02: an offer whose signed fingerprint is not the one in its SDP is refused with a warning', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    // Capture a genuine offer from alice, then have "alice" (her key) sign a doctored one.
    relay.tamper = () => [];
    alice.manager.open(bob.hex);
    await waitFor(() => relay.log.length > 0, 'offer sent');
    const sdp = 'v=0\r\na=fingerprint:sha-256 ' + Array.from({ length: 32 }, () => '01').join(':') + '\r\n';
    const fingerprint = { algorithm: 'sha-256', value: Array.from({ length: 32 }, () => '02').join(':') };
    const linkId = bytesToBase64url(new Uint8Array(16).fill(9));
    const payload = craftSealed({
      signer: alice.identity,
      encryptTo: bob.identity.publicKey,
      linkId,
      seq: 1,
      sentAtMs: clock.now(),
      bodyJson: JSON.stringify({ type: 'link.offer', sdp, fingerprint }),
    });
    bob.manager.handleSignal({ from: alice.hex, payload });
    expect(statesOf(bob, alice)).toEqual(['connecting', 'closed:auth-failed']);
    expect(bob.warnings).toHaveLength(1);
  });
});

describe('misbehaving peers: limits close that link only (P2P-01)', () => {
  it('P2P-01: malformed and oversized frames are answered, counted, and repeated ones close the link; the core keeps working', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    await openPair(alice, bob);
    const raw = rawOf(bob);
    raw.send('{"type":"future.feature","x":1}'); // unknown: ignored, not punished
    raw.send('not json');
    raw.send('{"type":"link.ping"}');
    raw.send(JSON.stringify({ type: 'link.ping', nonce: 'a', sentAtMs: 1, pad: 'x'.repeat(70 * 1024) }));
    await waitFor(() => alice.manager.stats().droppedFrames >= 4, 'dropped and counted');
    expect(isOpen(alice, bob)).toBe(true);
    for (let i = 0; i < 7; i++) raw.send(`{"broken":${i}`);
    await waitFor(() => statesOf(alice, bob).at(-1) === 'closed:protocol-error', 'closed for protocol errors');
    await waitFor(() => statesOf(bob, alice).at(-1) === 'closed:protocol-error', 'bob told why');
    expect(alice.manager.stats().droppedFrames).toBeGreaterThanOrEqual(11);
    // Only that link: a new one opens.
    await openPair(alice, bob);
  });

  it('P2P-01: a peer flooding frames over the rate budget gets its link closed as rate-limited', async () => {
    const alice = node('alice', { tunables: { framesPerSecond: 10, frameBurst: 20, maxRateOffences: 30 } });
    const bob = node('bob');
    befriendNodes(alice, bob);
    await openPair(alice, bob);
    const raw = rawOf(bob);
    for (let i = 0; i < 200; i++) raw.send(JSON.stringify({ type: 'link.pong', nonce: `n${i}`, sentAtMs: 1 }));
    await waitFor(() => statesOf(alice, bob).at(-1) === 'closed:rate-limited', 'closed as rate-limited');
  });

  it('P2P-01: fuzz — random and mutated frames over a real channel: the link survives or closes with a reason, and the core keeps running', async () => {
    const alice = node('alice');
    const bob = node('bob');
    befriendNodes(alice, bob);
    const valid = [
      { type: 'link.ping', nonce: 'abc', sentAtMs: 5 },
      { type: 'link.pong', nonce: 'abc', sentAtMs: 5 },
      { type: 'link.error', code: 'BAD_FRAME' },
      { type: 'profile.card', displayName: 'Bob', updatedAtMs: 1, signature: 'A'.repeat(86) },
      { type: 'link.hello', version: 1, linkId: 'A'.repeat(22), signature: 'A'.repeat(86) },
    ];
    const mutated = fc
      .tuple(fc.constantFrom(...valid.map((v) => JSON.stringify(v))), fc.nat(), fc.string({ maxLength: 4 }))
      .map(([text, at, insert]) => text.slice(0, at % text.length) + insert + text.slice((at % text.length) + 1));
    const arbitrary = fc.oneof(fc.json().map((j) => j), fc.string({ maxLength: 200 }), mutated, fc.constant('{}'), fc.constant('[]'), fc.constant('null'));
    const reasons = new Set<string>();
    for (let round = 0; round < 5; round++) {
      await openPair(alice, bob);
      const raw = rawOf(bob);
      for (const text of fc.sample(arbitrary, { numRuns: 40, seed: 1234 + round })) raw.send(text);
      // A ping after the batch: once it is answered, alice has processed everything before it.
      const end = `end${round}`;
      raw.send(JSON.stringify({ type: 'link.ping', nonce: end, sentAtMs: 1 }));
      await waitFor(() => !isOpen(alice, bob) || (bob.transports.at(-1)?.received.some((t) => t.includes(end)) ?? false), 'batch processed');
      const last = statesOf(alice, bob).at(-1) ?? '';
      if (last.startsWith('closed')) reasons.add(last);
      else alice.manager.close(bob.hex, 'idle');
      await waitFor(() => !isOpen(bob, alice), 'bob closed too');
    }
    for (const r of reasons) expect(['closed:protocol-error', 'closed:rate-limited', 'closed:auth-failed']).toContain(r);
    // The manager is fine: a last link opens and carries a ping/pong.
    await openPair(alice, bob);
    await waitFor(() => alice.manager.info(bob.hex)?.rttMs != null, 'heartbeat on the last link');
  });
});

describe('relay-only (P2P-03)', () => {
  it('P2P-03: a relay-only side neither sends nor uses a host candidate, so without a TURN server no link opens', async () => {
    const handed: string[] = [];
    const alice = node('alice', {
      relayOnly: true,
      onTransport: (t) => {
        const add = t.addRemoteCandidates.bind(t);
        t.addRemoteCandidates = (cs) => {
          handed.push(...cs.map((c) => c.candidate));
          add(cs);
        };
      },
    });
    const bob = node('bob');
    befriendNodes(alice, bob);
    alice.manager.open(bob.hex);
    // Bob answers and sends his host candidate; alice drops it and tells bob nothing.
    await waitFor(() => relay.log.some((m) => m.from === bob.hex && m.to === alice.hex) && relay.log.length >= 3, 'bob answered with candidates');
    await new Promise((resolve) => setImmediate(resolve)); // the relay delivers on the next turn
    clock.advance(20_000);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout']);
    expect(handed).toEqual([]);
    expect(relay.log.filter((m) => m.from === alice.hex)).toHaveLength(2); // the offer and the bye: no candidates
  });

  it('P2P-03: with relay-only set, a peer candidate that only says it is a relay (not on our TURN servers) is dropped and counted, never checked', async () => {
    const handed: string[] = [];
    const alice = node('alice', {
      relayOnly: true,
      onTransport: (t) => {
        const add = t.addRemoteCandidates.bind(t);
        t.addRemoteCandidates = (cs) => {
          handed.push(...cs.map((c) => c.candidate));
          add(cs);
        };
      },
    });
    // Bob claims his host candidate is a relay one (to make alice's host socket send to him).
    const bob = node('bob', { onTransport: (t) => (t.mapLocalCandidate = (c) => c.replace(' typ host', ' typ relay raddr 0.0.0.0 rport 0')) });
    befriendNodes(alice, bob);
    alice.manager.open(bob.hex);
    await waitFor(() => relay.log.filter((m) => m.from === bob.hex).length >= 2, 'bob answered with candidates');
    await new Promise((resolve) => setImmediate(resolve)); // the relay delivers on the next turn
    clock.advance(20_000);
    expect(statesOf(alice, bob)).toEqual(['connecting', 'closed:timeout']);
    expect(handed).toEqual([]);
    expect(alice.manager.stats().droppedCandidates).toBeGreaterThanOrEqual(1);
  });
});

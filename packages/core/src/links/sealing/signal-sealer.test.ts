import fc from 'fast-check';
import {
  base64urlToBytes,
  bytesToBase64url,
  bytesToHex,
  LIMITS,
  PEER_LIMITS,
  SEALED_SIGNAL_PREFIX,
  signalSendSchema,
  type LinkSignalBody,
} from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { Identity } from '../../identity/identity';
import { craftSealed } from './seal-test-kit';
import { SignalSealer, type OpenResult } from './signal-sealer';

const T0 = 1_767_225_600_000;
const LINK = bytesToBase64url(new Uint8Array(16).fill(7));
const OTHER_LINK = bytesToBase64url(new Uint8Array(16).fill(8));
const FP = { algorithm: 'sha-256' as const, value: Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':') };
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 192.0.2.1\r\n';
const BODIES: LinkSignalBody[] = [
  { type: 'link.offer', sdp: SDP, fingerprint: FP },
  { type: 'link.answer', sdp: SDP, fingerprint: FP },
  { type: 'link.candidates', candidates: [{ candidate: 'candidate:1 1 UDP 2122317823 192.0.2.1 50000 typ host', mid: '0' }] },
  { type: 'link.bye', reason: 'idle' },
];

function fakeClock(start = T0): { now(): number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function setup() {
  const clock = fakeClock();
  const alice = Identity.create('Alice');
  const bob = Identity.create('Bob');
  const carol = Identity.create('Carol');
  const hex = (id: Identity) => bytesToHex(id.publicKey);
  return {
    clock,
    alice,
    bob,
    carol,
    hex,
    aliceSealer: new SignalSealer({ identity: alice, clock }),
    bobSealer: new SignalSealer({ identity: bob, clock }),
    carolSealer: new SignalSealer({ identity: carol, clock }),
  };
}

function refusedWith(result: OpenResult): string {
  expect(result.ok).toBe(false);
  return result.ok ? 'ok' : result.code;
}

describe('SignalSealer: sealed set-up (P2P-04)', () => {
  it('P2P-04: every set-up body round-trips with its link id, seq and time', () => {
    const { aliceSealer, bobSealer, alice, bob, hex } = setup();
    BODIES.forEach((body, i) => {
      const payload = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: i + 1, body });
      expect(bobSealer.open({ from: hex(alice), payload })).toEqual({ ok: true, linkId: LINK, seq: i + 1, sentAtMs: T0, body });
    });
  });

  it('P2P-04: the relay sees bounded opaque text: no SDP, no address, no key, no link id', () => {
    const { aliceSealer, alice, bob, hex } = setup();
    const payload = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[0] as LinkSignalBody });
    expect(payload.startsWith(SEALED_SIGNAL_PREFIX)).toBe(true);
    expect(payload).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(base64urlToBytes(payload.slice(3)));
    for (const secret of ['192.0.2.1', 'webrtc-datachannel', FP.value, LINK]) {
      expect(payload).not.toContain(secret);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
    for (const key of [alice.publicKey, bob.publicKey]) expect(bytes.includes(Buffer.from(key))).toBe(false);
    // Two seals of the same message differ (fresh ephemeral key and nonce).
    expect(aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[0] as LinkSignalBody })).not.toBe(payload);
  });

  it('P2P-04: the largest bodies the schemas allow still fit the relay payload limit', () => {
    const { aliceSealer, bobSealer, alice, bob, hex } = setup();
    const bigSdp = 'a'.repeat(PEER_LIMITS.maxSdpChars);
    const bigCandidates: LinkSignalBody = {
      type: 'link.candidates',
      candidates: Array.from({ length: PEER_LIMITS.maxCandidatesPerMessage }, () => ({
        candidate: 'c'.repeat(PEER_LIMITS.maxCandidateChars),
        mid: 'm'.repeat(PEER_LIMITS.maxMidChars),
      })),
    };
    const bodies: LinkSignalBody[] = [{ type: 'link.offer', sdp: bigSdp, fingerprint: { algorithm: 'sha-512', value: Array(64).fill('AB').join(':') } }, bigCandidates];
    bodies.forEach((body, i) => {
      const payload = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: i + 1, body });
      expect(payload.length).toBeLessThanOrEqual(LIMITS.maxSignalPayloadChars);
      expect(signalSendSchema.safeParse({ type: 'signal.send', id: 'r1', to: bytesToBase64url(bob.publicKey), payload }).success).toBe(true);
      expect(bobSealer.open({ from: hex(alice), payload }).ok).toBe(true);
    });
  });

  it('P2P-04: a message sealed to someone else does not open (DECRYPT_FAILED)', () => {
    const { aliceSealer, carolSealer, alice, bob, hex } = setup();
    const payload = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[3] as LinkSignalBody });
    expect(refusedWith(carolSealer.open({ from: hex(alice), payload }))).toBe('DECRYPT_FAILED');
  });

  it('P2P-04: a relay that stamps another sender is refused (SENDER_MISMATCH), and the real sender still gets through', () => {
    const { aliceSealer, bobSealer, alice, bob, carol, hex } = setup();
    const payload = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[3] as LinkSignalBody });
    expect(refusedWith(bobSealer.open({ from: hex(carol), payload }))).toBe('SENDER_MISMATCH');
    expect(bobSealer.open({ from: hex(alice), payload }).ok).toBe(true);
  });

  it('P2P-04: a message signed for another recipient is refused (WRONG_RECIPIENT)', () => {
    const { bobSealer, alice, bob, carol, hex } = setup();
    // Alice signed it for Carol; someone re-sealed it to Bob.
    const payload = craftSealed({ signer: alice, signedRecipient: carol.publicKey, encryptTo: bob.publicKey, linkId: LINK, seq: 1, sentAtMs: T0, bodyJson: '{"type":"link.bye","reason":"idle"}' });
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload }))).toBe('WRONG_RECIPIENT');
  });

  it('P2P-04: a message that claims a sender who did not sign it is refused (BAD_SIGNATURE)', () => {
    const { bobSealer, alice, bob, carol, hex } = setup();
    // Carol (or the relay, which can seal to anyone) writes Alice as the sender and signs herself.
    const payload = craftSealed({ signer: carol, claimedSender: alice.publicKey, encryptTo: bob.publicKey, linkId: LINK, seq: 1, sentAtMs: T0, bodyJson: '{"type":"link.bye","reason":"idle"}' });
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload }))).toBe('BAD_SIGNATURE');
  });

  it('P2P-04: a forged message does not use up the seq of the real one', () => {
    const { aliceSealer, bobSealer, alice, bob, carol, hex } = setup();
    const forged = craftSealed({ signer: carol, claimedSender: alice.publicKey, encryptTo: bob.publicKey, linkId: LINK, seq: 99, sentAtMs: T0, bodyJson: '{"type":"link.bye","reason":"idle"}' });
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload: forged }))).toBe('BAD_SIGNATURE');
    const real = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[3] as LinkSignalBody });
    expect(bobSealer.open({ from: hex(alice), payload: real }).ok).toBe(true);
  });

  it('P2P-04: a replayed message is refused (REPLAYED); so is an older one that arrives late (reordered)', () => {
    const { clock, aliceSealer, bobSealer, alice, bob, hex } = setup();
    const seal = (seq: number, linkId = LINK) => aliceSealer.seal({ to: hex(bob), linkId, seq, body: BODIES[2] as LinkSignalBody });
    const first = seal(1);
    const second = seal(2);
    const third = seal(3);
    expect(bobSealer.open({ from: hex(alice), payload: first }).ok).toBe(true);
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload: first }))).toBe('REPLAYED');
    expect(bobSealer.open({ from: hex(alice), payload: third }).ok).toBe(true);
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload: second }))).toBe('REPLAYED');
    // Another link has its own sequence.
    clock.advance(1);
    expect(bobSealer.open({ from: hex(alice), payload: seal(1, OTHER_LINK) }).ok).toBe(true);
  });

  it('P2P-04: a message outside the ±120 s window (twice the login skew) is refused (STALE), either way', () => {
    const { clock, aliceSealer, bobSealer, alice, bob, hex } = setup();
    expect(PEER_LIMITS.signalFreshnessMs).toBe(2 * LIMITS.authTimestampSkewMs);
    const old = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[3] as LinkSignalBody });
    clock.advance(PEER_LIMITS.signalFreshnessMs + 1);
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload: old }))).toBe('STALE');
    const early = craftSealed({ signer: alice, encryptTo: bob.publicKey, linkId: LINK, seq: 2, sentAtMs: clock.now() + PEER_LIMITS.signalFreshnessMs + 1, bodyJson: '{"type":"link.bye","reason":"idle"}' });
    expect(refusedWith(bobSealer.open({ from: hex(alice), payload: early }))).toBe('STALE');
    const edge = craftSealed({ signer: alice, encryptTo: bob.publicKey, linkId: LINK, seq: 3, sentAtMs: clock.now() - PEER_LIMITS.signalFreshnessMs, bodyJson: '{"type":"link.bye","reason":"idle"}' });
    expect(bobSealer.open({ from: hex(alice), payload: edge }).ok).toBe(true);
  });

  it('P2P-04: malformed input is refused as MALFORMED, never thrown', () => {
    const { bobSealer, alice, bob, hex } = setup();
    const from = hex(alice);
    const cases: unknown[] = ['', 's1.', 's1.!!!', 'x1.AAAA', `s1.${'A'.repeat(LIMITS.maxSignalPayloadChars)}`, 's1.AAAA', 42, null, { payload: 'x' }];
    for (const payload of cases) expect(refusedWith(bobSealer.open({ from, payload: payload as string }))).toBe('MALFORMED');
    const valid = craftSealed({ signer: alice, encryptTo: bob.publicKey, linkId: LINK, seq: 1, sentAtMs: T0, bodyJson: '{"type":"link.bye","reason":"idle"}' });
    expect(refusedWith(bobSealer.open({ from: 'not-a-key', payload: valid }))).toBe('MALFORMED');
    // Signed and sealed correctly, but what is inside breaks the rules.
    const inside = (over: Partial<Parameters<typeof craftSealed>[0]>) =>
      craftSealed({ signer: alice, encryptTo: bob.publicKey, linkId: LINK, seq: 1, sentAtMs: T0, bodyJson: '{"type":"link.bye","reason":"idle"}', ...over });
    expect(refusedWith(bobSealer.open({ from, payload: inside({ bodyJson: '{"type":"link.bye","reason":"because"}' }) }))).toBe('MALFORMED');
    expect(refusedWith(bobSealer.open({ from, payload: inside({ bodyJson: 'not json' }) }))).toBe('MALFORMED');
    expect(refusedWith(bobSealer.open({ from, payload: inside({ bodyJson: '{"type":"link.dance"}' }) }))).toBe('MALFORMED');
    expect(refusedWith(bobSealer.open({ from, payload: inside({ linkId: 'short' }) }))).toBe('MALFORMED');
    expect(refusedWith(bobSealer.open({ from, payload: inside({ seq: 0 }) }))).toBe('MALFORMED');
    expect(refusedWith(bobSealer.open({ from, payload: inside({ mutatePlaintext: (p) => p.subarray(0, 100) }) }))).toBe('MALFORMED');
    expect(refusedWith(bobSealer.open({ from, payload: inside({ mutatePlaintext: (p) => new Uint8Array([...p, 0]) }) }))).toBe('MALFORMED');
    const flipLastSignatureByte = (p: Uint8Array) => {
      const out = new Uint8Array(p);
      out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 1;
      return out;
    };
    expect(refusedWith(bobSealer.open({ from, payload: inside({ mutatePlaintext: flipLastSignatureByte }) }))).toBe('BAD_SIGNATURE');
    // Nothing refused above used up the link's sequence.
    expect(bobSealer.open({ from, payload: inside({}) }).ok).toBe(true);
  });

  it('P2P-04: flipping any bit of any byte of a sealed message gets it refused', () => {
    const { aliceSealer, bobSealer, alice, bob, hex } = setup();
    const payload = aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 1, body: BODIES[2] as LinkSignalBody });
    const wire = base64urlToBytes(payload.slice(SEALED_SIGNAL_PREFIX.length));
    const codes = new Set<string>();
    for (let i = 0; i < wire.length; i++) {
      const bit = 1 << (i % 8);
      const tampered = new Uint8Array(wire);
      tampered[i] = (tampered[i] ?? 0) ^ bit;
      codes.add(refusedWith(bobSealer.open({ from: hex(alice), payload: SEALED_SIGNAL_PREFIX + bytesToBase64url(tampered) })));
    }
    expect([...codes].sort()).toEqual(['DECRYPT_FAILED']);
    // The untouched message still opens: the refusals above did not consume it.
    expect(bobSealer.open({ from: hex(alice), payload }).ok).toBe(true);
  });

  it('P2P-04: seal refuses what would be a bug on the sending side', () => {
    const { aliceSealer, bob, hex } = setup();
    const body = BODIES[3] as LinkSignalBody;
    expect(() => aliceSealer.seal({ to: 'zz', linkId: LINK, seq: 1, body })).toThrow(RangeError);
    expect(() => aliceSealer.seal({ to: hex(bob), linkId: 'nope', seq: 1, body })).toThrow(RangeError);
    expect(() => aliceSealer.seal({ to: hex(bob), linkId: LINK, seq: 0, body })).toThrow(RangeError);
    // The identity point (a low-order key) cannot be sealed to.
    expect(() => aliceSealer.seal({ to: '01'.padEnd(64, '0'), linkId: LINK, seq: 1, body })).toThrow(RangeError);
  });

  it('P2P-04: property: any candidates batch, link id and seq round-trips exactly once', () => {
    const { aliceSealer, bobSealer, alice, bob, hex } = setup();
    const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019 .:-+/'.split('')), minLength: 1, maxLength: 80 });
    const usedLinks = new Set<string>();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.array(fc.record({ candidate: printable, mid: fc.constantFrom('0', '1', 'data') }), { minLength: 1, maxLength: 8 }),
        (linkBytes, seq, candidates) => {
          const linkId = bytesToBase64url(linkBytes);
          fc.pre(!usedLinks.has(linkId));
          usedLinks.add(linkId);
          const body: LinkSignalBody = { type: 'link.candidates', candidates };
          const payload = aliceSealer.seal({ to: hex(bob), linkId, seq, body });
          expect(bobSealer.open({ from: hex(alice), payload })).toEqual({ ok: true, linkId, seq, sentAtMs: T0, body });
          expect(refusedWith(bobSealer.open({ from: hex(alice), payload }))).toBe('REPLAYED');
        },
      ),
      { numRuns: 60 },
    );
  });
});

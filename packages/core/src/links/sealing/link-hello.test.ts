import { bytesToBase64url, linkHelloBody, type DtlsFingerprint } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { Identity } from '../../identity/identity';
import { buildLinkHello, verifyLinkHello, type LinkHelloFrame, type VerifyLinkHelloInput } from './link-hello';

const fp = (byte: number): DtlsFingerprint => ({ algorithm: 'sha-256', value: Array(32).fill(byte.toString(16).padStart(2, '0').toUpperCase()).join(':') });
const LINK = bytesToBase64url(new Uint8Array(16).fill(1));
const OTHER_LINK = bytesToBase64url(new Uint8Array(16).fill(2));

function world() {
  const alice = Identity.create('Alice');
  const bob = Identity.create('Bob');
  const carol = Identity.create('Carol');
  const fpA = fp(0xaa);
  const fpB = fp(0xbb);
  /** Alice's hello on a direct link: she sees her own certificate and Bob's. */
  const aliceHello = (over: Partial<Parameters<typeof buildLinkHello>[0]> = {}) =>
    buildLinkHello({ identity: alice, peerPublicKey: bob.publicKey, linkId: LINK, localFingerprint: fpA, remoteFingerprint: fpB, ...over });
  /** Bob checks a hello as if it came from Alice, seeing what his transport sees. */
  const bobChecks = (frame: LinkHelloFrame, over: Partial<VerifyLinkHelloInput> = {}) =>
    verifyLinkHello({
      frame,
      localPublicKey: bob.publicKey,
      peerPublicKey: alice.publicKey,
      linkId: LINK,
      localFingerprint: fpB,
      remoteFingerprint: fpA,
      signaledRemoteFingerprint: fpA,
      ...over,
    });
  return { alice, bob, carol, fpA, fpB, aliceHello, bobChecks };
}

const failure = (v: ReturnType<typeof verifyLinkHello>) => (v.ok ? 'ok' : `${v.code}/${v.failure}`);

describe('link.hello: the identity handshake (P2P-02)', () => {
  it('P2P-02: both sides accept each other on a direct link', () => {
    const { alice, bob, fpA, fpB, aliceHello, bobChecks } = world();
    expect(bobChecks(aliceHello())).toEqual({ ok: true, version: 1 });
    const bobHello = buildLinkHello({ identity: bob, peerPublicKey: alice.publicKey, linkId: LINK, localFingerprint: fpB, remoteFingerprint: fpA });
    const aliceSide = verifyLinkHello({
      frame: bobHello,
      localPublicKey: alice.publicKey,
      peerPublicKey: bob.publicKey,
      linkId: LINK,
      localFingerprint: fpA,
      remoteFingerprint: fpB,
      signaledRemoteFingerprint: fpB,
    });
    expect(aliceSide).toEqual({ ok: true, version: 1 });
  });

  it('P2P-02: fingerprints compare without regard to hex case', () => {
    const { aliceHello, bobChecks, fpA } = world();
    const lower = { ...fpA, value: fpA.value.toLowerCase() };
    expect(bobChecks(aliceHello({ localFingerprint: lower }), { signaledRemoteFingerprint: lower }).ok).toBe(true);
  });

  it('P2P-02: a transport fingerprint other than the signed one is refused (FINGERPRINT_MISMATCH)', () => {
    const { aliceHello, bobChecks } = world();
    // A relay swapped the DTLS peer: Bob's transport sees Mallory's certificate.
    expect(failure(bobChecks(aliceHello(), { remoteFingerprint: fp(0x66) }))).toBe('LINK_AUTH_FAILED/FINGERPRINT_MISMATCH');
  });

  it('P2P-02: a DTLS man in the middle is caught by the signature even if the signed fingerprint were swapped too', () => {
    const { aliceHello, bobChecks } = world();
    const m1 = fp(0x11);
    const m2 = fp(0x22);
    // Alice talks DTLS to M1, Bob to M2; suppose the set-up fingerprints were swapped to match.
    const hello = aliceHello({ remoteFingerprint: m1 });
    expect(failure(bobChecks(hello, { remoteFingerprint: m2, signaledRemoteFingerprint: m2 }))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
  });

  it('P2P-02: a hello signed by another key is refused (wrong key)', () => {
    const { carol, bob, fpA, fpB, bobChecks } = world();
    const byCarol = buildLinkHello({ identity: carol, peerPublicKey: bob.publicKey, linkId: LINK, localFingerprint: fpA, remoteFingerprint: fpB });
    expect(failure(bobChecks(byCarol))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
  });

  it('P2P-02: a hello made for someone else is refused (Alice to Carol replayed to Bob)', () => {
    const { carol, aliceHello, bobChecks } = world();
    expect(failure(bobChecks(aliceHello({ peerPublicKey: carol.publicKey })))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
  });

  it('P2P-02: a hello from another link is refused, with its id or with the id rewritten', () => {
    const { aliceHello, bobChecks } = world();
    const foreign = aliceHello({ linkId: OTHER_LINK });
    expect(failure(bobChecks(foreign))).toBe('LINK_AUTH_FAILED/WRONG_LINK');
    expect(failure(bobChecks({ ...foreign, linkId: LINK }))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
  });

  it("P2P-02: Bob's own hello reflected back to him is refused", () => {
    const { bob, alice, fpA, fpB, bobChecks } = world();
    const bobsOwn = buildLinkHello({ identity: bob, peerPublicKey: alice.publicKey, linkId: LINK, localFingerprint: fpB, remoteFingerprint: fpA });
    expect(failure(bobChecks(bobsOwn))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
  });

  it('P2P-02: a signature over the same body for another purpose is refused', () => {
    const { alice, bob, fpA, fpB, bobChecks } = world();
    const body = linkHelloBody({ version: 1, signerPublicKey: alice.publicKey, peerPublicKey: bob.publicKey, linkId: LINK, signerFingerprint: fpA, peerFingerprint: fpB });
    for (const purpose of ['signal', 'profileCard', 'auth'] as const) {
      const frame: LinkHelloFrame = { type: 'link.hello', version: 1, linkId: LINK, signature: bytesToBase64url(alice.sign(purpose, body)) };
      expect(failure(bobChecks(frame))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
    }
  });

  it('P2P-02: the version is signed; a newer peer is met at the lower version', () => {
    const { alice, bob, fpA, fpB, aliceHello, bobChecks } = world();
    const body = linkHelloBody({ version: 2, signerPublicKey: alice.publicKey, peerPublicKey: bob.publicKey, linkId: LINK, signerFingerprint: fpA, peerFingerprint: fpB });
    const newer: LinkHelloFrame = { type: 'link.hello', version: 2, linkId: LINK, signature: bytesToBase64url(alice.sign('linkHandshake', body)) };
    expect(bobChecks(newer)).toEqual({ ok: true, version: 1 });
    expect(failure(bobChecks({ ...aliceHello(), version: 2 }))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
    expect(failure(bobChecks({ ...aliceHello(), version: 0 }))).toBe('LINK_AUTH_FAILED/BAD_VERSION');
  });

  it('never throws on a bogus signature', () => {
    const { aliceHello, bobChecks } = world();
    expect(failure(bobChecks({ ...aliceHello(), signature: '!!' }))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
    expect(failure(bobChecks({ ...aliceHello(), signature: 'AAAA' }))).toBe('LINK_AUTH_FAILED/BAD_SIGNATURE');
  });
});

import {
  base64urlToBytes,
  bytesToBase64url,
  linkHelloBody,
  PEER_PROTOCOL_VERSION,
  sameFingerprint,
  type DtlsFingerprint,
  type PeerFrameOf,
  type SigningPurpose,
} from '@discordopus/protocol';
import type { KeyObject } from 'node:crypto';
import { verifyForPurpose } from '../../identity/ed25519';

export type LinkHelloFrame = PeerFrameOf<'link.hello'>;

export interface LinkHelloSigner {
  readonly publicKey: Uint8Array;
  sign(purpose: SigningPurpose, body: Uint8Array): Uint8Array;
}

export interface BuildLinkHelloInput {
  identity: LinkHelloSigner;
  /** The contact at the other end (Ed25519 public key). */
  peerPublicKey: Uint8Array;
  linkId: string;
  /** This side's DTLS fingerprint (its own local description's `a=fingerprint`). */
  localFingerprint: DtlsFingerprint;
  /** The peer's DTLS fingerprint as this side's transport reports it (`remoteFingerprint()`). */
  remoteFingerprint: DtlsFingerprint;
}

/** This side's `link.hello` (P2P-02, PROTOCOL.md 6.2). */
export function buildLinkHello(input: BuildLinkHelloInput): LinkHelloFrame {
  const body = linkHelloBody({
    version: PEER_PROTOCOL_VERSION,
    signerPublicKey: input.identity.publicKey,
    peerPublicKey: input.peerPublicKey,
    linkId: input.linkId,
    signerFingerprint: input.localFingerprint,
    peerFingerprint: input.remoteFingerprint,
  });
  return {
    type: 'link.hello',
    version: PEER_PROTOCOL_VERSION,
    linkId: input.linkId,
    signature: bytesToBase64url(input.identity.sign('linkHandshake', body)),
  };
}

export interface VerifyLinkHelloInput {
  /** The peer's hello, already parsed by `parsePeerFrame`. */
  frame: LinkHelloFrame;
  /** This side's public key. */
  localPublicKey: Uint8Array;
  /** The contact this link was set up with. */
  peerPublicKey: Uint8Array | KeyObject;
  /** The link id of this link (from the offer). */
  linkId: string;
  localFingerprint: DtlsFingerprint;
  /** The peer's fingerprint as this side's transport reports it (`remoteFingerprint()`). */
  remoteFingerprint: DtlsFingerprint;
  /** The fingerprint the peer put in its signed, sealed offer or answer. */
  signaledRemoteFingerprint: DtlsFingerprint;
}

export const LINK_HELLO_FAILURES = ['FINGERPRINT_MISMATCH', 'WRONG_LINK', 'BAD_VERSION', 'BAD_SIGNATURE'] as const;
export type LinkHelloFailure = (typeof LINK_HELLO_FAILURES)[number];

export type LinkHelloVerdict =
  | { ok: true; /** The peer protocol version both speak: the lower of the two. */ version: number }
  | { ok: false; code: 'LINK_AUTH_FAILED'; failure: LinkHelloFailure; reason: string };

function failed(failure: LinkHelloFailure, reason: string): LinkHelloVerdict {
  return { ok: false, code: 'LINK_AUTH_FAILED', failure, reason };
}

/**
 * Check the peer's `link.hello`: the transport's remote fingerprint is the one the peer signed in
 * its set-up message, the hello is for this link, and its signature verifies under the contact's
 * key over both keys, the link id and both fingerprints as seen from the peer's side. Any failure
 * means someone is in the middle: close the link with LINK_AUTH_FAILED. Never throws.
 */
export function verifyLinkHello(input: VerifyLinkHelloInput): LinkHelloVerdict {
  if (!sameFingerprint(input.remoteFingerprint, input.signaledRemoteFingerprint)) {
    return failed('FINGERPRINT_MISMATCH', 'the DTLS peer is not the one the contact signed for');
  }
  if (input.frame.linkId !== input.linkId) return failed('WRONG_LINK', 'the hello is for another link');
  if (!Number.isInteger(input.frame.version) || input.frame.version < 1) return failed('BAD_VERSION', 'no common version');
  let signature: Uint8Array;
  try {
    signature = base64urlToBytes(input.frame.signature);
  } catch {
    return failed('BAD_SIGNATURE', 'the signature is not base64url');
  }
  let peerKeyBytes: Uint8Array;
  if (input.peerPublicKey instanceof Uint8Array) {
    peerKeyBytes = input.peerPublicKey;
  } else {
    const jwk = input.peerPublicKey.export({ format: 'jwk' });
    peerKeyBytes = base64urlToBytes(jwk.x ?? '');
  }
  const body = linkHelloBody({
    version: input.frame.version,
    signerPublicKey: peerKeyBytes,
    peerPublicKey: input.localPublicKey,
    linkId: input.linkId,
    signerFingerprint: input.remoteFingerprint,
    peerFingerprint: input.localFingerprint,
  });
  if (!verifyForPurpose(input.peerPublicKey, 'linkHandshake', body, signature)) {
    return failed('BAD_SIGNATURE', 'the hello is not signed by the contact over this link and these fingerprints');
  }
  return { ok: true, version: Math.min(input.frame.version, PEER_PROTOCOL_VERSION) };
}

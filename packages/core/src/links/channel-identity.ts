import { type DtlsFingerprint, type PeerFrame, sameFingerprint } from '@discordopus/protocol';
import type { LinkTransport } from './engine/link-transport';
import { buildLinkHello, type LinkHelloSigner, verifyLinkHello } from './sealing';

type Hello = Extract<PeerFrame, { type: 'link.hello' }>;
type Verdict<T> = ({ ok: true } & T) | { ok: false; reason: string };

export interface ChannelIdentityInput {
  transport: Pick<LinkTransport, 'localFingerprint' | 'remoteFingerprint'>;
  /** The DTLS fingerprint the contact signed in its offer/answer (null: none arrived). */
  signaledRemote: DtlsFingerprint | null;
  identity: LinkHelloSigner;
  peerPublicKey: Uint8Array;
  linkId: string;
}

/**
 * The identity checks of an open channel (P2P-02), apart from the link's life cycle: both DTLS
 * fingerprints come from the transport, never from the peer's word, and our hello is signed only
 * for the DTLS peer the contact signed for.
 */
export function helloToSend(input: ChannelIdentityInput): Verdict<{ hello: Hello }> {
  const local = input.transport.localFingerprint();
  const remote = input.transport.remoteFingerprint();
  if (local === null || remote === null || input.signaledRemote === null) return { ok: false, reason: 'the transport does not report both fingerprints' };
  if (!sameFingerprint(remote, input.signaledRemote)) {
    // Do not even sign a hello for a DTLS peer the contact did not sign for.
    return { ok: false, reason: 'the DTLS peer is not the one the contact signed for' };
  }
  const hello = buildLinkHello({ identity: input.identity, peerPublicKey: input.peerPublicKey, linkId: input.linkId, localFingerprint: local, remoteFingerprint: remote });
  return { ok: true, hello };
}

/** The peer's hello, checked against both keys, the link id and both fingerprints as this transport sees them. */
export function checkPeerHello(input: ChannelIdentityInput & { frame: Hello }): Verdict<object> {
  const local = input.transport.localFingerprint();
  const remote = input.transport.remoteFingerprint();
  if (local === null || remote === null || input.signaledRemote === null) return { ok: false, reason: 'a hello arrived before this side could check the channel' };
  const verdict = verifyLinkHello({
    frame: input.frame,
    localPublicKey: input.identity.publicKey,
    peerPublicKey: input.peerPublicKey,
    linkId: input.linkId,
    localFingerprint: local,
    remoteFingerprint: remote,
    signaledRemoteFingerprint: input.signaledRemote,
  });
  return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
}

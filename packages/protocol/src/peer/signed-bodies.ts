import { CanonicalWriter } from '../signing/canonical-writer';
import { fingerprintText, type DtlsFingerprint } from './primitives';

/**
 * The canonical bytes signed for direct links (PROTOCOL.md section 6), laid out with
 * `CanonicalWriter` (section 3), and the reader for the one body that travels as bytes.
 */

/** Fields of a set-up message (purpose `signal`), signed by the sender, then sealed. */
export interface SealedSignalFields {
  /** The sender's Ed25519 public key (32 bytes). */
  senderPublicKey: Uint8Array;
  /** The recipient's Ed25519 public key (32 bytes). */
  recipientPublicKey: Uint8Array;
  linkId: string;
  /** Per link and sender, strictly increasing from 1. */
  seq: number;
  /** Sender's clock, ms since the Unix epoch. */
  sentAtMs: number;
  /** The set-up body's JSON text, exactly as sent. */
  bodyJson: string;
}

/** Body of the `signal` signature: bytes sender, bytes recipient, text link id, u64 seq, u64 time, text body. */
export function sealedSignalBody(fields: SealedSignalFields): Uint8Array {
  return new CanonicalWriter()
    .bytes(fields.senderPublicKey)
    .bytes(fields.recipientPublicKey)
    .text(fields.linkId)
    .u64(fields.seq)
    .u64(fields.sentAtMs)
    .text(fields.bodyJson)
    .finish();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads canonical fields back; every read returns null instead of running past the end. */
class CanonicalReader {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}

  bytes(): Uint8Array | null {
    if (this.offset + 4 > this.data.length) return null;
    const view = new DataView(this.data.buffer, this.data.byteOffset + this.offset, 4);
    const len = view.getUint32(0, false);
    const start = this.offset + 4;
    if (len > this.data.length - start) return null;
    this.offset = start + len;
    return this.data.subarray(start, start + len);
  }

  text(): string | null {
    const raw = this.bytes();
    if (raw === null) return null;
    try {
      return utf8.decode(raw);
    } catch {
      return null;
    }
  }

  u64(): number | null {
    if (this.offset + 8 > this.data.length) return null;
    const big = new DataView(this.data.buffer, this.data.byteOffset + this.offset, 8).getBigUint64(0, false);
    this.offset += 8;
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : null;
  }

  get consumed(): number {
    return this.offset;
  }
}

/**
 * Split the plaintext of a sealed message (`signal body || 64-byte signature`) into its fields,
 * the exact signed bytes and the signature; null when it is not laid out exactly so. Checks the
 * layout only: the caller verifies the signature and the values.
 */
export function readSealedSignal(
  plaintext: Uint8Array,
): { fields: SealedSignalFields; signedBody: Uint8Array; signature: Uint8Array } | null {
  if (plaintext.length < 64) return null;
  const signedBody = plaintext.subarray(0, plaintext.length - 64);
  const reader = new CanonicalReader(signedBody);
  const senderPublicKey = reader.bytes();
  const recipientPublicKey = reader.bytes();
  const linkId = reader.text();
  const seq = reader.u64();
  const sentAtMs = reader.u64();
  const bodyJson = reader.text();
  if (
    senderPublicKey?.length !== 32 ||
    recipientPublicKey?.length !== 32 ||
    linkId === null ||
    seq === null ||
    sentAtMs === null ||
    bodyJson === null ||
    reader.consumed !== signedBody.length
  ) {
    return null;
  }
  return {
    fields: { senderPublicKey, recipientPublicKey, linkId, seq, sentAtMs, bodyJson },
    signedBody,
    signature: plaintext.subarray(plaintext.length - 64),
  };
}

/** Fields of the identity handshake (purpose `linkHandshake`), from the signer's side. */
export interface LinkHelloFields {
  /** Peer protocol version of the signer (`PEER_PROTOCOL_VERSION`). */
  version: number;
  signerPublicKey: Uint8Array;
  peerPublicKey: Uint8Array;
  linkId: string;
  /** The signer's own DTLS fingerprint (from its local description). */
  signerFingerprint: DtlsFingerprint;
  /** The peer's DTLS fingerprint as the signer's transport reports it. */
  peerFingerprint: DtlsFingerprint;
}

/** Body of the `linkHandshake` signature: u16 version, bytes signer, bytes peer, text link id, text signer fp, text peer fp. */
export function linkHelloBody(fields: LinkHelloFields): Uint8Array {
  return new CanonicalWriter()
    .u16(fields.version)
    .bytes(fields.signerPublicKey)
    .bytes(fields.peerPublicKey)
    .text(fields.linkId)
    .text(fingerprintText(fields.signerFingerprint))
    .text(fingerprintText(fields.peerFingerprint))
    .finish();
}

/** Fields of a profile card (purpose `profileCard`). */
export interface ProfileCardFields {
  ownerPublicKey: Uint8Array;
  displayName: string;
  updatedAtMs: number;
}

/** Body of the `profileCard` signature: bytes owner, text display name, u64 updated-at. */
export function profileCardBody(fields: ProfileCardFields): Uint8Array {
  return new CanonicalWriter()
    .bytes(fields.ownerPublicKey)
    .text(fields.displayName)
    .u64(fields.updatedAtMs)
    .finish();
}

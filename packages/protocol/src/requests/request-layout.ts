import { CanonicalWriter } from '../signing/canonical-writer';

/**
 * The sealed contact request on the relay (CONT-06, PROTOCOL.md 5.13): the same construction as
 * a sealed link set-up message (6.1) with its own purpose, seal label and prefix, so neither can
 * be replayed as the other:
 *
 *   request_body = bytes sender || bytes recipient || text request_id || u64 sent_at_ms || text body_json
 *   plaintext    = request_body || Ed25519 signature (purpose `contactRequest`) over it
 *   payload      = SEALED_REQUEST_PREFIX || base64url( E (32) || nonce (12) || ChaCha20-Poly1305(plaintext) )
 *   key          = HKDF-SHA256(X25519(e, recipient), salt empty, info = REQUEST_SEAL_INFO || E || recipient Ed25519 key)
 */
export const SEALED_REQUEST_PREFIX = 'r1.';
export const REQUEST_SEAL_INFO = 'discordopus/v1/request-seal';

export interface SealedRequestFields {
  senderPublicKey: Uint8Array;
  recipientPublicKey: Uint8Array;
  /** 16 random bytes, base64url: names this request once (the replay guard's key). */
  requestId: string;
  sentAtMs: number;
  bodyJson: string;
}

/** Body of the `contactRequest` signature. */
export function sealedRequestBody(fields: SealedRequestFields): Uint8Array {
  return new CanonicalWriter()
    .bytes(fields.senderPublicKey)
    .bytes(fields.recipientPublicKey)
    .text(fields.requestId)
    .u64(fields.sentAtMs)
    .text(fields.bodyJson)
    .finish();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Split a request plaintext into its fields, the signed bytes and the signature; null unless laid out exactly so. */
export function readSealedRequest(plaintext: Uint8Array): { fields: SealedRequestFields; signedBody: Uint8Array; signature: Uint8Array } | null {
  if (plaintext.length < 64) return null;
  const signedBody = plaintext.subarray(0, plaintext.length - 64);
  let offset = 0;
  const bytes = (): Uint8Array | null => {
    if (offset + 4 > signedBody.length) return null;
    const len = new DataView(signedBody.buffer, signedBody.byteOffset + offset, 4).getUint32(0, false);
    if (len > signedBody.length - offset - 4) return null;
    const out = signedBody.subarray(offset + 4, offset + 4 + len);
    offset += 4 + len;
    return out;
  };
  const text = (): string | null => {
    const raw = bytes();
    if (raw === null) return null;
    try {
      return utf8.decode(raw);
    } catch {
      return null;
    }
  };
  const u64 = (): number | null => {
    if (offset + 8 > signedBody.length) return null;
    const big = new DataView(signedBody.buffer, signedBody.byteOffset + offset, 8).getBigUint64(0, false);
    offset += 8;
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : null;
  };
  const senderPublicKey = bytes();
  const recipientPublicKey = bytes();
  const requestId = text();
  const sentAtMs = u64();
  const bodyJson = text();
  if (
    senderPublicKey?.length !== 32 ||
    recipientPublicKey?.length !== 32 ||
    requestId === null ||
    sentAtMs === null ||
    bodyJson === null ||
    offset !== signedBody.length
  ) {
    return null;
  }
  return { fields: { senderPublicKey, recipientPublicKey, requestId, sentAtMs, bodyJson }, signedBody, signature: plaintext.subarray(plaintext.length - 64) };
}

import { randomBytes, type KeyObject } from 'node:crypto';
import {
  base64urlToBytes,
  bytesToBase64url,
  bytesToHex,
  hexToBytes,
  LIMITS,
  parseRequestBody,
  readSealedRequest,
  REQUEST_LIMITS,
  REQUEST_SEAL_INFO,
  SEAL_NONCE_BYTES,
  SEALED_REQUEST_PREFIX,
  sealedRequestBody,
  type RequestBody,
} from '@discordopus/protocol';
import { verifyForPurpose } from '../identity/ed25519';
import type { SealerIdentity } from '../links/sealing';
import { openBox, sealBox, x25519FromSecret, x25519Generate, x25519PublicFromEd25519, x25519SecretFromSeed } from '../links/sealing/seal-crypto';
import { RequestReplayGuard } from './request-replay-guard';

export const REQUEST_OPEN_ERROR_CODES = ['MALFORMED', 'DECRYPT_FAILED', 'WRONG_RECIPIENT', 'SENDER_MISMATCH', 'BAD_SIGNATURE', 'STALE', 'REPLAYED'] as const;
export type RequestOpenErrorCode = (typeof REQUEST_OPEN_ERROR_CODES)[number];

export type RequestOpenResult =
  | { ok: true; requestId: string; sentAtMs: number; body: RequestBody }
  | { ok: false; code: RequestOpenErrorCode; reason: string };

const HEX_KEY = /^[0-9a-f]{64}$/;
const sealInfo = new TextEncoder().encode(REQUEST_SEAL_INFO);

function refuse(code: RequestOpenErrorCode, reason: string): RequestOpenResult {
  return { ok: false, code, reason };
}

/**
 * Seals contact requests to their recipient and opens the ones sealed to this identity
 * (CONT-06, PROTOCOL.md 5.13): signed under `contactRequest`, encrypted like a link set-up
 * message but with its own seal label, so the server relays opaque text and learns neither the
 * name nor the note. `open` never throws: every refusal has a code for the caller to count.
 */
export class RequestSealer {
  readonly #identity: SealerIdentity;
  readonly #publicKeyHex: string;
  readonly #x25519: KeyObject;
  readonly #clock: { now(): number };
  readonly #random: (length: number) => Uint8Array;
  readonly #guard: RequestReplayGuard;

  constructor(options: { identity: SealerIdentity; clock: { now(): number }; random?: (length: number) => Uint8Array; replayGuard?: RequestReplayGuard }) {
    this.#identity = options.identity;
    this.#publicKeyHex = bytesToHex(options.identity.publicKey);
    const seed = options.identity.exportSeed();
    const secret = x25519SecretFromSeed(seed);
    try {
      this.#x25519 = x25519FromSecret(secret).privateKey;
    } finally {
      seed.fill(0);
      secret.fill(0);
    }
    this.#clock = options.clock;
    this.#random = options.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.#guard = options.replayGuard ?? new RequestReplayGuard({ clock: options.clock });
  }

  /** The opaque `contact.request.send` payload. Throws (a bug here) for a bad recipient or an oversized body. */
  seal(input: { to: string; body: RequestBody }): string {
    const to = input.to.toLowerCase();
    if (!HEX_KEY.test(to)) throw new RangeError('seal: the recipient is not a hex public key');
    const recipientEd = hexToBytes(to);
    const recipientX = x25519PublicFromEd25519(recipientEd);
    if (recipientX === null) throw new RangeError('seal: the recipient key is not a valid Ed25519 point');
    const bodyJson = JSON.stringify(input.body);
    if (!parseRequestBody(bodyJson).ok) throw new RangeError('seal: the request body breaks its schema');
    const signedBody = sealedRequestBody({
      senderPublicKey: this.#identity.publicKey,
      recipientPublicKey: recipientEd,
      requestId: bytesToBase64url(this.#random(REQUEST_LIMITS.requestIdBytes)),
      sentAtMs: this.#clock.now(),
      bodyJson,
    });
    const signature = this.#identity.sign('contactRequest', signedBody);
    const plaintext = Buffer.concat([signedBody, signature]);
    const payload = sealBox({ prefix: SEALED_REQUEST_PREFIX, label: sealInfo, recipientEd, recipientX, ephemeral: x25519Generate(), nonce: this.#random(SEAL_NONCE_BYTES), plaintext });
    if (payload.length > LIMITS.maxContactRequestPayloadChars) throw new RangeError('seal: the request is over the relay limit');
    return payload;
  }

  /** Open a relayed request; `from` is the sender the server stamped (hex). Never throws. */
  open(input: { from: string; payload: string }): RequestOpenResult {
    const box = openBox(input, { prefix: SEALED_REQUEST_PREFIX, label: sealInfo, maxChars: LIMITS.maxContactRequestPayloadChars, recipientEd: this.#identity.publicKey, recipientSecret: this.#x25519, what: 'a sealed contact request' });
    if (!box.ok) return refuse(box.code, box.reason);
    const { from, plaintext } = box;
    const read = readSealedRequest(plaintext);
    if (read === null) return refuse('MALFORMED', 'the sealed content is not a signed request');
    const { fields } = read;
    if (bytesToHex(fields.recipientPublicKey) !== this.#publicKeyHex) return refuse('WRONG_RECIPIENT', 'signed for another recipient');
    if (bytesToHex(fields.senderPublicKey) !== from) return refuse('SENDER_MISMATCH', 'the signed sender is not the sender the relay stamped');
    if (!verifyForPurpose(fields.senderPublicKey, 'contactRequest', read.signedBody, read.signature)) {
      return refuse('BAD_SIGNATURE', 'the signature does not verify');
    }
    let idBytes: Uint8Array | null = null;
    try {
      idBytes = base64urlToBytes(fields.requestId);
    } catch {
      idBytes = null;
    }
    if (idBytes?.length !== REQUEST_LIMITS.requestIdBytes || bytesToBase64url(idBytes) !== fields.requestId) {
      return refuse('MALFORMED', 'malformed request id');
    }
    const body = parseRequestBody(fields.bodyJson);
    if (!body.ok) return refuse('MALFORMED', `the request body is refused (${body.issues[0] ?? 'schema'})`);
    const verdict = this.#guard.admit({ sender: from, requestId: fields.requestId, sentAtMs: fields.sentAtMs });
    if (!verdict.ok) return refuse(verdict.code, verdict.code === 'STALE' ? 'outside the freshness window' : 'this request was already received');
    return { ok: true, requestId: fields.requestId, sentAtMs: fields.sentAtMs, body: body.body };
  }
}

import { randomBytes, type KeyObject } from 'node:crypto';
import {
  bytesToHex,
  encodeLinkSignalBody,
  hexToBytes,
  linkIdSchema,
  parseLinkSignalBody,
  PEER_LIMITS,
  readSealedSignal,
  SEAL_NONCE_BYTES,
  SEALED_SIGNAL_PREFIX,
  sealedSignalBody,
  type LinkSignalBody,
  type SigningPurpose,
} from '@discordopus/protocol';
import { publicKeyObject, verifyForPurpose } from '../../identity/ed25519';
import { openBox, sealBox, x25519FromSecret, x25519Generate, x25519PublicFromEd25519, x25519SecretFromSeed } from './seal-crypto';
import { SignalReplayGuard } from './signal-replay-guard';

/** What the sealer needs of the user's identity (`Identity` fits). */
export interface SealerIdentity {
  readonly publicKey: Uint8Array;
  sign(purpose: SigningPurpose, body: Uint8Array): Uint8Array;
  /** Used once, to derive the X25519 key that opens messages sealed to this identity. */
  exportSeed(): Uint8Array;
}

export interface SignalSealerOptions {
  identity: SealerIdentity;
  clock: { now(): number };
  /**
   * Secure random bytes for the ephemeral key (32) and the nonce (12), in that order; tests
   * inject fixed ones. Without it OpenSSL generates both (the faster path).
   */
  random?: (length: number) => Uint8Array;
  /** Defaults to a guard with PEER_LIMITS.signalFreshnessMs on the same clock. */
  replayGuard?: SignalReplayGuard;
}

export interface SealInput {
  /** The recipient's Ed25519 public key, hex. */
  to: string;
  linkId: string;
  /** Per link, strictly increasing from 1 (the caller counts). */
  seq: number;
  body: LinkSignalBody;
}

export interface OpenInput {
  /** The sender as the relay stamped it (`signal.relay.from`), as an Ed25519 public key in hex. */
  from: string;
  payload: string;
}

export const SIGNAL_OPEN_ERROR_CODES = [
  'MALFORMED',
  'WRONG_RECIPIENT',
  'SENDER_MISMATCH',
  'BAD_SIGNATURE',
  'DECRYPT_FAILED',
  'STALE',
  'REPLAYED',
] as const;
export type SignalOpenErrorCode = (typeof SIGNAL_OPEN_ERROR_CODES)[number];

export type OpenResult =
  | { ok: true; linkId: string; seq: number; sentAtMs: number; body: LinkSignalBody }
  | { ok: false; code: SignalOpenErrorCode; reason: string };

const HEX_KEY = /^[0-9a-f]{64}$/;
const KEY_CACHE_MAX = 256;
const MAX_SEALED_CHARS = PEER_LIMITS.maxSealedPayloadChars;

function refuse(code: SignalOpenErrorCode, reason: string): OpenResult {
  return { ok: false, code, reason };
}

/** A small bounded cache (least recently used evicted) of per-contact key material. */
class KeyCache<T> {
  readonly #map = new Map<string, T>();
  get(hex: string, make: () => T): T {
    const hit = this.#map.get(hex);
    if (hit !== undefined) {
      this.#map.delete(hex);
      this.#map.set(hex, hit);
      return hit;
    }
    const value = make();
    this.#map.set(hex, value);
    if (this.#map.size > KEY_CACHE_MAX) this.#map.delete(this.#map.keys().next().value as string);
    return value;
  }
}

/**
 * Seals set-up messages (offers, answers, candidates, byes) to their recipient and opens the
 * ones sealed to this identity (P2P-04, PROTOCOL.md 6.1): signed under the `signal` purpose over
 * sender, recipient, link id, seq, time and body; then encrypted to the recipient's X25519 key
 * (derived from its Ed25519 key) with a fresh ephemeral key. The relay sees only bounded opaque
 * text. `open` never throws: every refusal comes back with a code, for the caller to count.
 */
export class SignalSealer {
  readonly #identity: SealerIdentity;
  readonly #publicKeyHex: string;
  readonly #x25519: KeyObject;
  readonly #clock: { now(): number };
  readonly #random: ((length: number) => Uint8Array) | null;
  readonly #guard: SignalReplayGuard;
  readonly #recipientKeys = new KeyCache<Uint8Array | null>();
  readonly #senderKeys = new KeyCache<KeyObject | null>();

  constructor(options: SignalSealerOptions) {
    this.#identity = options.identity;
    this.#publicKeyHex = bytesToHex(options.identity.publicKey);
    // The seed copy and the derived secret are wiped once the key object holds the key.
    const seed = options.identity.exportSeed();
    const secret = x25519SecretFromSeed(seed);
    try {
      this.#x25519 = x25519FromSecret(secret).privateKey;
    } finally {
      seed.fill(0);
      secret.fill(0);
    }
    this.#clock = options.clock;
    this.#random = options.random ?? null;
    this.#guard = options.replayGuard ?? new SignalReplayGuard({ clock: options.clock });
  }

  /**
   * The opaque `signal.send` payload for one set-up message. Throws (a bug on this side, not
   * bad input) on a malformed recipient, link id or seq, or a body over the limits.
   */
  seal(input: SealInput): string {
    const to = input.to.toLowerCase();
    if (!HEX_KEY.test(to)) throw new RangeError('seal: the recipient is not a hex public key');
    if (!linkIdSchema.safeParse(input.linkId).success) throw new RangeError('seal: malformed link id');
    if (!Number.isSafeInteger(input.seq) || input.seq < 1) throw new RangeError('seal: seq is a positive integer');
    const recipientEd = hexToBytes(to);
    const recipientX = this.#recipientKeys.get(to, () => x25519PublicFromEd25519(recipientEd));
    if (recipientX === null) throw new RangeError('seal: the recipient key is not a valid Ed25519 point');

    const signedBody = sealedSignalBody({
      senderPublicKey: this.#identity.publicKey,
      recipientPublicKey: recipientEd,
      linkId: input.linkId,
      seq: input.seq,
      sentAtMs: this.#clock.now(),
      bodyJson: encodeLinkSignalBody(input.body),
    });
    const signature = this.#identity.sign('signal', signedBody);
    const plaintext = new Uint8Array(signedBody.length + signature.length);
    plaintext.set(signedBody);
    plaintext.set(signature, signedBody.length);

    const ephemeral = this.#random ? x25519FromSecret(this.#random(32)) : x25519Generate();
    const nonce = this.#random ? this.#random(SEAL_NONCE_BYTES) : new Uint8Array(randomBytes(SEAL_NONCE_BYTES));
    const payload = sealBox({ prefix: SEALED_SIGNAL_PREFIX, recipientEd, recipientX, ephemeral, nonce, plaintext });
    if (payload.length > MAX_SEALED_CHARS) throw new RangeError('seal: the sealed message is over the relay limit');
    return payload;
  }

  /** Open a relayed payload; never throws. */
  open(input: OpenInput): OpenResult {
    const box = openBox(input, { prefix: SEALED_SIGNAL_PREFIX, maxChars: MAX_SEALED_CHARS, recipientEd: this.#identity.publicKey, recipientSecret: this.#x25519, what: 'a sealed set-up message' });
    if (!box.ok) return refuse(box.code, box.reason);
    const { from, plaintext } = box;

    const read = readSealedSignal(plaintext);
    if (read === null) return refuse('MALFORMED', 'the sealed content is not a signed set-up message');
    const { fields } = read;
    if (bytesToHex(fields.recipientPublicKey) !== this.#publicKeyHex) {
      return refuse('WRONG_RECIPIENT', 'signed for another recipient');
    }
    if (bytesToHex(fields.senderPublicKey) !== from) {
      return refuse('SENDER_MISMATCH', 'the signed sender is not the sender the relay stamped');
    }
    const senderKey = this.#senderKeys.get(from, () => {
      try {
        return publicKeyObject(fields.senderPublicKey);
      } catch {
        return null;
      }
    });
    if (senderKey === null || !verifyForPurpose(senderKey, 'signal', read.signedBody, read.signature)) {
      return refuse('BAD_SIGNATURE', 'the signature does not verify');
    }
    if (!linkIdSchema.safeParse(fields.linkId).success) return refuse('MALFORMED', 'malformed link id');
    if (fields.seq < 1) return refuse('MALFORMED', 'seq starts at 1');
    const body = parseLinkSignalBody(fields.bodyJson);
    if (!body.ok) return refuse('MALFORMED', `the set-up body is refused (${body.code})`);

    const verdict = this.#guard.admit({ sender: from, linkId: fields.linkId, seq: fields.seq, sentAtMs: fields.sentAtMs });
    if (!verdict.ok) {
      return refuse(
        verdict.code,
        verdict.code === 'STALE' ? 'outside the freshness window' : 'not newer than a message already accepted on this link',
      );
    }
    return { ok: true, linkId: fields.linkId, seq: fields.seq, sentAtMs: fields.sentAtMs, body: body.frame };
  }
}

import { base64urlLength, MAX_REQUEST_ID_CHARS, PUBLIC_KEY_WIRE_CHARS } from './primitives';

const MAX_CONTACTS = 5000;
const MAX_SIGNAL_PAYLOAD_CHARS = 32 * 1024;
const MAX_CONTACT_REQUEST_PAYLOAD_CHARS = 4 * 1024;
/** Room for the JSON punctuation, field names and numbers around the big fields. */
const ENVELOPE_SLACK_BYTES = 1024;

/**
 * The largest client frame any well-formed message can need, in UTF-8 bytes. The two big
 * messages are `contacts.set` with the maximum number of keys (each key is quoted and
 * comma-separated) and `signal.send` with the largest payload; payloads are ASCII-only in
 * practice but a string of N UTF-16 units is at most 3N UTF-8 bytes, and JSON escaping a
 * control character takes 6, so the bound uses 6 bytes per payload character.
 */
export function computeMaxFrameBytes(): number {
  const contactsSet = MAX_CONTACTS * (PUBLIC_KEY_WIRE_CHARS + 3);
  const signalSend = MAX_SIGNAL_PAYLOAD_CHARS * 6 + PUBLIC_KEY_WIRE_CHARS + MAX_REQUEST_ID_CHARS;
  const largest = Math.max(contactsSet, signalSend) + ENVELOPE_SLACK_BYTES;
  // Round up to a whole KiB so the number reads well in configs and metrics.
  return Math.ceil(largest / 1024) * 1024;
}

/**
 * Limits every implementation shares. A server may announce tighter ones in `auth.welcome`;
 * it never accepts looser ones. Units are in the names.
 */
export const LIMITS = {
  /** Contacts per `contacts.set`. */
  maxContacts: MAX_CONTACTS,
  /** Characters of the opaque payload of `signal.send` / `signal.relay`. */
  maxSignalPayloadChars: MAX_SIGNAL_PAYLOAD_CHARS,
  /** Characters of the opaque payload of a contact request. */
  maxContactRequestPayloadChars: MAX_CONTACT_REQUEST_PAYLOAD_CHARS,
  /** Characters of a request id chosen by the client. */
  maxRequestIdChars: MAX_REQUEST_ID_CHARS,
  /** Characters of the server identity (its canonical URL). */
  maxServerIdChars: 256,
  /** Random bytes in every login nonce. */
  nonceBytes: 32,
  /** base64url characters of a public key on the wire. */
  publicKeyChars: PUBLIC_KEY_WIRE_CHARS,
  /** base64url characters of a signature on the wire. */
  signatureChars: base64urlLength(64),
  /** How far the client's `timestampMs` may be from the server's clock, either way. */
  authTimestampSkewMs: 60_000,
  /** Default time a new socket has to authenticate before it is closed with 4408. */
  authDeadlineMs: 5_000,
  /** ICE server entries in a welcome, and URLs per entry. */
  maxIceServers: 16,
  maxIceUrlsPerServer: 8,
  maxIceUrlChars: 512,
  maxIceCredentialChars: 512,
  /** The largest frame a client may send, in bytes (ws `maxPayload`). */
  maxFrameBytes: computeMaxFrameBytes(),
} as const;

export type Limits = typeof LIMITS;

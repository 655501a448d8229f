import { CanonicalWriter } from './canonical-writer';

/**
 * Domain separation for signatures. Every signature in DiscordOpus is made over
 * `signingInput(purpose, body)`, which starts with a fixed, versioned purpose prefix, so a
 * signature made for one purpose can never verify for another. Add a purpose here, never
 * reuse one for a new kind of payload, and bump the `/vN/` when a body layout changes.
 */
export const SIGNING_PURPOSES = {
  /** Challenge-response login to a signaling server. */
  auth: 'discordopus/v1/auth',
  /** WebRTC offers, answers and ICE candidates relayed through the server. */
  signal: 'discordopus/v1/signal',
  /** A request from a stranger to be added as a contact. */
  contactRequest: 'discordopus/v1/contact-request',
  /** The identity handshake over a new link's data channel (P2P-02). */
  linkHandshake: 'discordopus/v1/link-handshake',
  /** A user's display name, signed by its owner and sent to contacts (P2P-05). */
  profileCard: 'discordopus/v1/profile-card',
} as const;

export type SigningPurpose = keyof typeof SIGNING_PURPOSES;

/** The exact bytes that are signed: u8 prefix length, ASCII purpose prefix, then the body. */
export function signingInput(purpose: SigningPurpose, body: Uint8Array): Uint8Array {
  const prefix = SIGNING_PURPOSES[purpose];
  const prefixBytes = new TextEncoder().encode(prefix);
  const out = new Uint8Array(1 + prefixBytes.length + body.length);
  out[0] = prefixBytes.length;
  out.set(prefixBytes, 1);
  out.set(body, 1 + prefixBytes.length);
  return out;
}

export function isSigningPurpose(value: string): value is SigningPurpose {
  return Object.prototype.hasOwnProperty.call(SIGNING_PURPOSES, value);
}

/** Fields of the login proof (purpose `auth`). */
export interface AuthProofFields {
  protocolVersion: number;
  /** The server's identity as it announced it in its hello (canonical URL or key ID). */
  serverId: string;
  /** The nonce the server issued on this socket (raw bytes). */
  nonce: Uint8Array;
  /** Client clock, milliseconds since the Unix epoch. */
  timestampMs: number;
  /** The client's Ed25519 public key (32 bytes). */
  clientPublicKey: Uint8Array;
}

/** Body of the `auth` signature: u16 version, text server ID, bytes nonce, u64 time, bytes key. */
export function authProofBody(fields: AuthProofFields): Uint8Array {
  return new CanonicalWriter()
    .u16(fields.protocolVersion)
    .text(fields.serverId)
    .bytes(fields.nonce)
    .u64(fields.timestampMs)
    .bytes(fields.clientPublicKey)
    .finish();
}

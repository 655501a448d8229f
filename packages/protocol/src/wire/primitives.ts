import { z } from 'zod';
import { base64urlToBytes } from '../encoding/bytes';

/** Characters of an unpadded base64url string that carries `bytes` bytes. */
export function base64urlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** A canonical, unpadded base64url string that decodes to exactly `bytes` bytes. */
function base64urlOf(bytes: number, what: string) {
  const chars = base64urlLength(bytes);
  return z
    .string()
    .length(chars, { message: `${what} is ${bytes} bytes: ${chars} base64url characters`, abort: true })
    .refine((text) => {
      try {
        return base64urlToBytes(text).length === bytes;
      } catch {
        return false;
      }
    }, `${what} is not canonical base64url`);
}

export const PUBLIC_KEY_WIRE_CHARS = base64urlLength(32);

/** An Ed25519 public key (32 bytes), base64url: how every user is named on the wire. */
export const publicKeySchema = base64urlOf(32, 'a public key');
/** The server's login challenge (32 bytes), base64url. */
export const nonceSchema = base64urlOf(32, 'a nonce');
/** An Ed25519 signature (64 bytes), base64url. */
export const signatureSchema = base64urlOf(64, 'a signature');

export const MAX_REQUEST_ID_CHARS = 64;
/** Chosen by the client to match an error to the request that caused it. */
export const requestIdSchema = z
  .string()
  .min(1)
  .max(MAX_REQUEST_ID_CHARS)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'a request id is letters, digits and _ . : -');

/** Milliseconds since the Unix epoch (or a duration); always a safe non-negative integer. */
export const millisSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** What a user can choose (PRES-01). `invisible` is never sent by the server to anyone. */
export const OWN_STATUSES = ['online', 'away', 'busy', 'invisible'] as const;
export const ownStatusSchema = z.enum(OWN_STATUSES);
export type OwnStatus = z.infer<typeof ownStatusSchema>;

/** What others may see of a contact: a visible status; offline contacts are simply absent. */
export const VISIBLE_STATUSES = ['online', 'away', 'busy'] as const;
export const visibleStatusSchema = z.enum(VISIBLE_STATUSES);
export type VisibleStatus = z.infer<typeof visibleStatusSchema>;

/** What a presence update carries: a visible status or `offline` (which includes invisible). */
export const PEER_STATUSES = ['online', 'away', 'busy', 'offline'] as const;
export const peerStatusSchema = z.enum(PEER_STATUSES);
export type PeerStatus = z.infer<typeof peerStatusSchema>;

/**
 * What a client shows of a contact: a peer status, or `unknown` before the first presence
 * snapshot (the vault, the core's presence, the bridge and the app all use this one list).
 */
export const CONTACT_STATUSES = [...PEER_STATUSES, 'unknown'] as const;
export const contactStatusSchema = z.enum(CONTACT_STATUSES);
export type ContactStatus = z.infer<typeof contactStatusSchema>;

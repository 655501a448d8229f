import { z } from 'zod';
import { base64urlToBytes } from '../encoding/bytes';
import { base64urlLength } from '../wire/primitives';
import { PEER_LIMITS } from './limits';

const LINK_ID_CHARS = base64urlLength(PEER_LIMITS.linkIdBytes);

/** A link id: 16 random bytes chosen by the side that offers, base64url (22 characters). */
export const linkIdSchema = z
  .string()
  .length(LINK_ID_CHARS, { message: `a link id is ${LINK_ID_CHARS} base64url characters`, abort: true })
  .refine((text) => {
    try {
      return base64urlToBytes(text).length === PEER_LIMITS.linkIdBytes;
    } catch {
      return false;
    }
  }, 'a link id is not canonical base64url');
export type LinkId = z.infer<typeof linkIdSchema>;

export const DTLS_FINGERPRINT_ALGORITHMS = ['sha-256', 'sha-384', 'sha-512'] as const;

/**
 * A DTLS certificate fingerprint as libdatachannel's `remoteFingerprint()` reports it and as an
 * SDP `a=fingerprint` line carries it: an algorithm and upper-case hex bytes joined by ':'.
 */
export const dtlsFingerprintSchema = z
  .object({
    algorithm: z.enum(DTLS_FINGERPRINT_ALGORITHMS),
    value: z
      .string()
      .max(64 * 3)
      .regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31,63}$/, 'a fingerprint is upper-case hex bytes joined by ":"'),
  })
  .strict();
export type DtlsFingerprint = z.infer<typeof dtlsFingerprintSchema>;

/** The one text form of a fingerprint that is signed: `sha-256 AB:CD:…` (upper case). */
export function fingerprintText(fingerprint: DtlsFingerprint): string {
  return `${fingerprint.algorithm} ${fingerprint.value.toUpperCase()}`;
}

/** The same fingerprint, whatever the case of its hex digits. */
export function sameFingerprint(a: DtlsFingerprint, b: DtlsFingerprint): boolean {
  return fingerprintText(a) === fingerprintText(b);
}

/**
 * The (single) `a=fingerprint` of an SDP description, normalised to upper case; null when there
 * is none, when there are two different ones, or when it is not one this protocol accepts.
 */
export function sdpFingerprint(sdp: string): DtlsFingerprint | null {
  const found = new Set<string>();
  let last: DtlsFingerprint | null = null;
  for (const match of sdp.matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/gm)) {
    const parsed = dtlsFingerprintSchema.safeParse({
      algorithm: (match[1] ?? '').toLowerCase(),
      value: (match[2] ?? '').toUpperCase(),
    });
    if (!parsed.success) return null;
    last = parsed.data;
    found.add(fingerprintText(parsed.data));
  }
  return found.size === 1 ? last : null;
}

import { z } from 'zod';
import { linkCloseReasonSchema } from './close-reasons';
import { PEER_LIMITS } from './limits';
import { dtlsFingerprintSchema } from './primitives';

/**
 * What a sealed set-up message carries (P2P-04): the body inside the signature and the
 * encryption of section 6.1 of PROTOCOL.md. The server never sees these.
 */

// SDP and candidate lines are ASCII (RFC 8866); refusing anything else keeps chars == bytes.
const sdpText = z
  .string()
  .min(1)
  .max(PEER_LIMITS.maxSdpChars)
  .regex(/^[\x20-\x7e\r\n\t]+$/, 'an SDP description is printable ASCII');

const candidateSchema = z
  .object({
    candidate: z
      .string()
      .min(1)
      .max(PEER_LIMITS.maxCandidateChars)
      .regex(/^[\x20-\x7e]+$/, 'a candidate is printable ASCII on one line'),
    mid: z
      .string()
      .min(1)
      .max(PEER_LIMITS.maxMidChars)
      .regex(/^[\x21-\x7e]+$/, 'a mid is printable ASCII without spaces'),
  })
  .strict();
export type LinkCandidate = z.infer<typeof candidateSchema>;

/** The offer, with the offerer's DTLS fingerprint (it must equal the SDP's `a=fingerprint`). */
export const linkOfferSchema = z
  .object({ type: z.literal('link.offer'), sdp: sdpText, fingerprint: dtlsFingerprintSchema })
  .strict();

/** The answer, with the answerer's DTLS fingerprint. */
export const linkAnswerSchema = z
  .object({ type: z.literal('link.answer'), sdp: sdpText, fingerprint: dtlsFingerprintSchema })
  .strict();

/** A batch of trickled ICE candidates (never inside the descriptions). */
export const linkCandidatesSchema = z
  .object({
    type: z.literal('link.candidates'),
    candidates: z.array(candidateSchema).min(1).max(PEER_LIMITS.maxCandidatesPerMessage),
  })
  .strict();

/** The sender abandons or ends the link being set up. */
export const linkByeSchema = z.object({ type: z.literal('link.bye'), reason: linkCloseReasonSchema }).strict();

export const linkSignalBodySchema = z.discriminatedUnion('type', [
  linkOfferSchema,
  linkAnswerSchema,
  linkCandidatesSchema,
  linkByeSchema,
]);
export type LinkSignalBody = z.infer<typeof linkSignalBodySchema>;
export type LinkSignalType = LinkSignalBody['type'];
export type LinkSignalOf<T extends LinkSignalType> = Extract<LinkSignalBody, { type: T }>;

export const LINK_SIGNAL_TYPES = ['link.offer', 'link.answer', 'link.candidates', 'link.bye'] as const satisfies readonly LinkSignalType[];

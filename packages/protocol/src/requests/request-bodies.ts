import { z } from 'zod';
import { signatureSchema } from '../wire/primitives';

/**
 * What travels inside a sealed contact request (CONT-06, PROTOCOL.md 5.13): JSON objects keyed
 * by `type`, unknown fields refused. `request.send` asks to be added, with the sender's signed
 * display name (a profile card, purpose `profileCard`) and an optional note; `request.accepted`
 * is the answer of a user who added the sender back, with the accepter's card.
 */
export const REQUEST_LIMITS = {
  /** Code points of the note a user may write to a stranger. */
  noteChars: 280,
  /** A body's JSON text, in UTF-8 bytes. */
  maxBodyBytes: 2048,
  /** The note as JSON text (quotes and escapes included), in UTF-8 bytes: 280 of the widest characters fit. */
  noteJsonBytes: 1200,
  /** Random request id bytes (base64url in the signed body). */
  requestIdBytes: 16,
  /** A request dated further than this from the recipient's clock, either way, is refused. */
  freshnessMs: 120_000,
} as const;

/** A display name as it travels: 1–64 code points (the receiver applies the full name rules). */
const cardSchema = z
  .object({
    displayName: z.string().min(1).max(128),
    updatedAtMs: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    signature: signatureSchema,
  })
  .strict();
export type RequestCard = z.infer<typeof cardSchema>;

/** A UTF-16 surrogate half with no partner: JSON writes it as a 6-byte escape. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The note as JSON text, in UTF-8 bytes (what it adds to a sealed body). */
export function requestNoteJsonBytes(text: string): number {
  return new TextEncoder().encode(JSON.stringify(text)).length;
}

/**
 * The note: plain text, no control characters except line breaks, no direction marks or line /
 * paragraph separators, no lone surrogates, at most 280 code points and `noteJsonBytes` encoded
 * (so a body with the longest name always fits `maxBodyBytes`).
 */
export const requestNoteSchema = z
  .string()
  .max(REQUEST_LIMITS.noteChars * 2, `a note is at most ${REQUEST_LIMITS.noteChars} characters`)
  .refine((text) => [...text].length <= REQUEST_LIMITS.noteChars, `a note is at most ${REQUEST_LIMITS.noteChars} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(text), 'a note cannot contain control characters')
  .refine((text) => !LONE_SURROGATE.test(text), 'a note cannot contain broken characters (a lone surrogate)')
  .refine((text) => requestNoteJsonBytes(text) <= REQUEST_LIMITS.noteJsonBytes, 'a note is too long once encoded');

export const requestSendSchema = z.object({ type: z.literal('request.send'), card: cardSchema, note: requestNoteSchema }).strict();
export const requestAcceptedSchema = z.object({ type: z.literal('request.accepted'), card: cardSchema }).strict();

export const requestBodySchema = z.discriminatedUnion('type', [requestSendSchema, requestAcceptedSchema]);
export type RequestBody = z.infer<typeof requestBodySchema>;
export type RequestBodyType = RequestBody['type'];

export type RequestBodyParse = { ok: true; body: RequestBody } | { ok: false; issues: string[] };

/** The one parser of a request body's JSON text: never throws, names every failing path. */
export function parseRequestBody(json: string): RequestBodyParse {
  if (new TextEncoder().encode(json).length > REQUEST_LIMITS.maxBodyBytes) return { ok: false, issues: ['the body is too large'] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, issues: ['the body is not JSON'] };
  }
  const parsed = requestBodySchema.safeParse(value);
  if (parsed.success) return { ok: true, body: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`) };
}

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

/** The note: plain text, no control characters except line breaks, at most 280 code points. */
export const requestNoteSchema = z
  .string()
  .max(REQUEST_LIMITS.noteChars * 2, `a note is at most ${REQUEST_LIMITS.noteChars} characters`)
  .refine((text) => [...text].length <= REQUEST_LIMITS.noteChars, `a note is at most ${REQUEST_LIMITS.noteChars} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(text), 'a note cannot contain control characters');

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

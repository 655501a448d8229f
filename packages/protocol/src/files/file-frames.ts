import { z } from 'zod';
import { base64urlToBytes } from '../encoding/bytes';
import { millisSchema } from '../wire/primitives';
import { codePoints } from '../messages/message-limits';
import { FILE_LIMITS } from './file-limits';

/**
 * File-transfer control frames (FILE-01..03, PROTOCOL.md §8). `file.offer`, `file.decline` and
 * a `file.cancel` before any data go over the contact's link like messages; `file.accept`,
 * `file.progress`, `file.complete`, `file.error` and `file.cancel` also travel as text messages
 * on the transfer's own data channel, whose binary messages are the file's bytes in order.
 */

function base64urlOf(bytes: number, what: string) {
  const chars = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(chars, { message: `${what} is ${chars} base64url characters`, abort: true })
    .refine((text) => {
      try {
        return base64urlToBytes(text).length === bytes;
      } catch {
        return false;
      }
    }, `${what} is not canonical base64url`);
}

/** A transfer ID: 16 random bytes, unpadded base64url (22 characters). */
export const transferIdSchema = base64urlOf(FILE_LIMITS.transferIdBytes, 'a transfer id');
export type TransferId = z.infer<typeof transferIdSchema>;

/** A SHA-256 digest, unpadded base64url (43 characters). */
export const sha256Schema = base64urlOf(32, 'a SHA-256 digest');

export const fileSizeSchema = z.number().int().min(0).max(FILE_LIMITS.maxFileBytes);

/** A name as the sender offers it: never trusted as a path; the receiver makes a safe one. */
export const offeredNameSchema = z
  .string()
  .min(1, 'a file name is not empty')
  .max(FILE_LIMITS.maxOfferedNameChars, { message: `a file name is at most ${FILE_LIMITS.maxOfferedNameChars} characters`, abort: true });

/** `type/subtype` with optional parameters, printable ASCII. */
export const mimeTypeSchema = z
  .string()
  .max(FILE_LIMITS.maxMimeChars, { message: `a MIME type is at most ${FILE_LIMITS.maxMimeChars} characters`, abort: true })
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(;[\x20-\x7e]*)?$/i, 'a MIME type is type/subtype');

export const captionSchema = z
  .string()
  .max(FILE_LIMITS.maxCaptionChars * 2, { message: `a caption is at most ${FILE_LIMITS.maxCaptionChars} characters`, abort: true })
  .refine((t) => codePoints(t) <= FILE_LIMITS.maxCaptionChars, `a caption is at most ${FILE_LIMITS.maxCaptionChars} characters`)
  .refine((t) => t.trim() !== '' && !t.includes('\u0000'), 'a caption is not blank and has no NUL');

export const PREVIEW_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PreviewMimeType = (typeof PREVIEW_MIME_TYPES)[number];

/** Whether the bytes start as the MIME type says (the magic numbers of JPEG, PNG and WebP). */
export function previewMatchesType(bytes: Uint8Array, mime: PreviewMimeType): boolean {
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  switch (mime) {
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/webp':
      return starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50;
  }
}

const previewChars = Math.ceil((FILE_LIMITS.maxPreviewBytes * 4) / 3);

/** A small image made by the sender: JPEG, PNG or WebP, at most 32 KiB, checked by its magic number. */
export const previewSchema = z
  .object({
    mime: z.enum(PREVIEW_MIME_TYPES),
    data: z.string().min(1).max(previewChars, { message: `a preview is at most ${FILE_LIMITS.maxPreviewBytes} bytes`, abort: true }),
  })
  .superRefine((p, ctx) => {
    let bytes: Uint8Array;
    try {
      bytes = base64urlToBytes(p.data);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'a preview is base64url' });
      return;
    }
    if (!previewMatchesType(bytes, p.mime)) ctx.addIssue({ code: 'custom', path: ['data'], message: `the preview is not ${p.mime}` });
  });

export const fileOfferSchema = z.object({
  type: z.literal('file.offer'),
  id: transferIdSchema,
  name: offeredNameSchema,
  size: fileSizeSchema,
  mime: mimeTypeSchema,
  sha256: sha256Schema,
  caption: captionSchema.nullable(),
  preview: previewSchema.nullable(),
  sentAt: millisSchema,
});

/**
 * The receiver asks for the bytes from `offset` on (0 at first, where it stopped on a resume).
 * `window` (optional): the sender keeps at most this many bytes beyond the receiver's last
 * `file.ack` in flight (credit flow: bounds every queue between them, so chat on the same
 * association is not stuck behind megabytes of file data). Absent: no window.
 */
export const fileAcceptSchema = z.object({
  type: z.literal('file.accept'),
  id: transferIdSchema,
  offset: fileSizeSchema,
  window: z.number().int().min(FILE_LIMITS.minWindowBytes).max(FILE_LIMITS.maxWindowBytes).optional(),
});
export const fileDeclineSchema = z.object({ type: z.literal('file.decline'), id: transferIdSchema });
/** Either side stops the transfer for good. */
export const fileCancelSchema = z.object({ type: z.literal('file.cancel'), id: transferIdSchema });
/** The receiver tells how many bytes it has stored durably. */
export const fileProgressSchema = z.object({ type: z.literal('file.progress'), id: transferIdSchema, bytes: fileSizeSchema });
/** The receiver has taken in (written, not yet durably) the file up to `bytes`: more credit for the sender. */
export const fileAckSchema = z.object({ type: z.literal('file.ack'), id: transferIdSchema, bytes: fileSizeSchema });
/** The receiver has the whole file and its SHA-256 matches the offer's. */
export const fileCompleteSchema = z.object({ type: z.literal('file.complete'), id: transferIdSchema, sha256: sha256Schema });

export const FILE_ERROR_CODES = [
  'HASH_MISMATCH',
  'SOURCE_CHANGED',
  'SOURCE_MISSING',
  'BAD_OFFSET',
  'UNKNOWN_TRANSFER',
  'TOO_LARGE',
  'DISK_FULL',
  'NOT_WRITABLE',
  'PROTOCOL',
  'INTERNAL',
  /** The receiver refused an offer: it already holds too many unanswered ones from this sender. */
  'TOO_MANY_OFFERS',
] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/** The transfer failed for good; the code says why, the sentence is for the log and the UI. */
export const fileErrorSchema = z.object({
  type: z.literal('file.error'),
  id: transferIdSchema,
  code: z.enum(FILE_ERROR_CODES),
  message: z.string().max(FILE_LIMITS.maxErrorMessageChars),
});

export const fileFrameSchema = z.discriminatedUnion('type', [
  fileOfferSchema,
  fileAcceptSchema,
  fileDeclineSchema,
  fileCancelSchema,
  fileProgressSchema,
  fileAckSchema,
  fileCompleteSchema,
  fileErrorSchema,
]);
export type FileFrame = z.infer<typeof fileFrameSchema>;
export type FileFrameType = FileFrame['type'];
export type FileFrameOf<T extends FileFrameType> = Extract<FileFrame, { type: T }>;
export type FileOffer = FileFrameOf<'file.offer'>;

export const FILE_FRAME_TYPES = [
  'file.offer',
  'file.accept',
  'file.decline',
  'file.cancel',
  'file.progress',
  'file.ack',
  'file.complete',
  'file.error',
] as const satisfies readonly FileFrameType[];

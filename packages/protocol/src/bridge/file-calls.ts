import { base64 } from '@scure/base';
import { z } from 'zod';
import { FILE_LIMITS } from '../files/file-limits';
import { PREVIEW_MIME_TYPES, captionSchema, mimeTypeSchema, offeredNameSchema, previewMatchesType, transferIdSchema } from '../files/file-frames';
import { BRIDGE_LIMITS, epochMsSchema, publicKeyHexSchema } from './primitives';

/**
 * File transfers as the window sees them (FILE-01..03, PROTOCOL.md §8, README "File transfer").
 * The window cannot name a path on disk, so a file goes to the core in chunks ("upload"): the
 * desktop stages the bytes in the profile folder and offers the staged copy to the contact.
 * Binary data on the bridge is standard base64 with padding (as backups are).
 */
export const FILE_BRIDGE_LIMITS = {
  /** The largest file the window can send (the staged copy lives in the profile folder). */
  maxUploadBytes: 4 * 1024 ** 3,
  /** Decoded bytes of one `files.uploadChunk` (the last chunk may be shorter). */
  uploadChunkBytes: 256 * 1024,
  /** Uploads in progress at once, per core. */
  maxUploads: 4,
  /** Files sent from the window not ended yet (each keeps its staged copy), uploads in progress included. */
  maxOutgoing: 32,
  /** Transfers in one `files.list` page: a page of the largest items (previews, captions) fits in one frame. */
  listPage: 16,
  /** JSON bytes of the transfers in one `files.list` page: a page stops early (with a cursor) rather than outgrow a frame. */
  listPageBytes: 960 * 1024,
  /** Characters of an upload ID (16 random bytes, base64url). */
  uploadIdChars: 22,
  /** Characters of a downloads folder path. */
  downloadsDirChars: 4096,
} as const;

const base64Chars = (bytes: number) => Math.ceil(bytes / 3) * 4;
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): Uint8Array | null {
  try {
    return base64.decode(text);
  } catch {
    return null;
  }
}

export const previewMimeSchema = z.enum(PREVIEW_MIME_TYPES);

/** An image preview as the bridge carries it: JPEG, PNG or WebP, at most 32 KiB, checked by its magic number. */
export const bridgePreviewSchema = z
  .object({
    mime: previewMimeSchema,
    data: z
      .string()
      .min(1, 'a preview is not empty')
      .max(base64Chars(FILE_LIMITS.maxPreviewBytes), { message: `a preview is at most ${FILE_LIMITS.maxPreviewBytes} bytes`, abort: true })
      .regex(STANDARD_BASE64, { message: 'a preview is standard base64', abort: true }),
  })
  .superRefine((p, ctx) => {
    const bytes = decodeBase64(p.data);
    if (bytes === null) ctx.addIssue({ code: 'custom', path: ['data'], message: 'a preview is standard base64' });
    else if (bytes.length > FILE_LIMITS.maxPreviewBytes) ctx.addIssue({ code: 'custom', path: ['data'], message: `a preview is at most ${FILE_LIMITS.maxPreviewBytes} bytes` });
    else if (!previewMatchesType(bytes, p.mime)) ctx.addIssue({ code: 'custom', path: ['data'], message: `the preview is not ${p.mime}` });
  });
export type BridgePreview = z.infer<typeof bridgePreviewSchema>;

export const FILE_TRANSFER_STATES = ['offered', 'accepted', 'complete', 'declined', 'cancelled', 'failed'] as const;
export const fileTransferStateSchema = z.enum(FILE_TRANSFER_STATES);
export type FileTransferState = z.infer<typeof fileTransferStateSchema>;
export const fileDirectionSchema = z.enum(['in', 'out']);
export const fileActorSchema = z.enum(['local', 'peer']).nullable();

export const fileFailureSchema = z.object({
  code: z.string().min(1).max(BRIDGE_LIMITS.errorCodeChars),
  message: z.string().max(BRIDGE_LIMITS.reasonChars),
});
export type FileFailure = z.infer<typeof fileFailureSchema>;

/** A file name shown to the user: the basename in the downloads folder, never a path. */
const finalNameSchema = z
  .string()
  .min(1)
  .max(FILE_LIMITS.maxSafeNameBytes)
  .refine((name) => !/[/\\]/.test(name) && name !== '.' && name !== '..', 'a final name is a file name, not a path');

const fileSizeSchema = z.number().int().min(0).max(FILE_LIMITS.maxFileBytes);

/** One transfer, either direction (the shape of the core's record, without paths or hashes). */
export const fileTransferViewSchema = z.object({
  id: transferIdSchema,
  /** The contact the transfer is with. */
  peer: publicKeyHexSchema,
  direction: fileDirectionSchema,
  /** The name as offered: shown, never used as a path. */
  name: z.string().min(1).max(FILE_LIMITS.maxOfferedNameChars),
  size: fileSizeSchema,
  mime: z.string().max(FILE_LIMITS.maxMimeChars),
  caption: z.string().max(FILE_LIMITS.maxCaptionChars * 2).nullable(),
  preview: z.object({ mime: previewMimeSchema, data: z.string().max(base64Chars(FILE_LIMITS.maxPreviewBytes)) }).nullable(),
  state: fileTransferStateSchema,
  /** Who declined, cancelled or failed it; null while it runs, when complete, or when not known (after a restart). */
  by: fileActorSchema,
  /** Bytes known to be stored (receiver) or confirmed by the receiver (sender). */
  bytesDone: fileSizeSchema,
  /**
   * FILE-02: accepted, but no bytes can move now (the link dropped, or has not opened since the
   * core started); it goes on by itself when the link is back. False in every other state.
   */
  paused: z.boolean(),
  failure: fileFailureSchema.nullable(),
  /** The sender's time of the offer: transfers sit among messages by it. */
  sentAt: epochMsSchema,
  /** Incoming and complete: the file's name in the downloads folder ("Open folder"). */
  finalName: finalNameSchema.nullable(),
});
export type FileTransferView = z.infer<typeof fileTransferViewSchema>;

export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'an upload ID is 22 base64url characters');

/** One chunk of an upload: standard base64, decoded here (at most 256 KiB). */
const chunkDataSchema = z
  .string()
  .max(base64Chars(FILE_BRIDGE_LIMITS.uploadChunkBytes), { message: `a chunk is at most ${FILE_BRIDGE_LIMITS.uploadChunkBytes} bytes`, abort: true })
  .regex(STANDARD_BASE64, { message: 'a chunk is standard base64', abort: true })
  .transform((text, ctx) => {
    const bytes = decodeBase64(text);
    if (bytes === null || bytes.length > FILE_BRIDGE_LIMITS.uploadChunkBytes) {
      ctx.addIssue({ code: 'custom', message: bytes === null ? 'a chunk is standard base64' : `a chunk is at most ${FILE_BRIDGE_LIMITS.uploadChunkBytes} bytes` });
      return z.NEVER;
    }
    return bytes;
  });

/** P2P / FILE-03: where accepted files go; an absolute path (the core checks it can write there). */
export const downloadsDirSchema = z
  .string()
  .min(1, 'the downloads folder is not empty')
  .max(FILE_BRIDGE_LIMITS.downloadsDirChars, `a folder path is at most ${FILE_BRIDGE_LIMITS.downloadsDirChars} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((dir) => !/[\u0000-\u001f\u007f]/.test(dir), 'a folder path has no control characters')
  .refine((dir) => dir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith('\\\\'), 'the downloads folder is a full path (starting with / or a drive letter)');

/** A byte count for a file setting: whole bytes, 0 to 1 TiB. */
export const fileBytesSettingSchema = z.number().int('a size is whole bytes').min(0, 'a size is not negative').max(FILE_LIMITS.maxFileBytes, 'a size is at most 1 TiB');

const transfer = { id: transferIdSchema };

/** File calls (FILE-01..03), spread into `bridgeCalls`. The core's FileTransferError codes pass through. */
export const fileCalls = {
  /** Start sending a file to a contact: answers an upload ID for the chunks. */
  'files.beginUpload': {
    params: z.object({
      publicKey: publicKeyHexSchema,
      // The core offers the NFC form, which can be longer: checked here, before a byte is uploaded.
      name: offeredNameSchema.refine((name) => name.normalize('NFC').length <= FILE_LIMITS.maxOfferedNameChars, {
        message: `a file name is at most ${FILE_LIMITS.maxOfferedNameChars} characters once normalised (NFC)`,
      }),
      size: z.number().int().min(0).max(FILE_BRIDGE_LIMITS.maxUploadBytes, `a file sent from the window is at most ${FILE_BRIDGE_LIMITS.maxUploadBytes / 1024 ** 3} GiB`),
      mime: mimeTypeSchema,
      caption: captionSchema.nullable(),
      preview: bridgePreviewSchema.nullable(),
    }),
    result: z.object({ uploadId: uploadIdSchema }),
  },
  /** The next bytes of an upload, in order: `offset` is the number of bytes sent before. Answers the bytes received. */
  'files.uploadChunk': {
    params: z.object({ uploadId: uploadIdSchema, offset: fileSizeSchema, data: chunkDataSchema }),
    result: z.object({ received: fileSizeSchema }),
  },
  /** All bytes are there: the core offers the file to the contact (now, or when they are online). */
  'files.endUpload': { params: z.object({ uploadId: uploadIdSchema }), result: fileTransferViewSchema },
  /** Drop an upload and its staged bytes. */
  'files.abortUpload': { params: z.object({ uploadId: uploadIdSchema }), result: z.null() },
  /** Accept an offered file into the downloads folder. */
  'files.accept': { params: z.object(transfer), result: fileTransferViewSchema },
  'files.decline': { params: z.object(transfer), result: fileTransferViewSchema },
  /** Stop a transfer on either side (offered or accepted); the contact is told. */
  'files.cancel': { params: z.object(transfer), result: fileTransferViewSchema },
  /** A conversation's transfers, newest first, one page at a time (`before`: the olderCursor of the page before). */
  'files.list': {
    params: z.object({ publicKey: publicKeyHexSchema, before: transferIdSchema.optional(), limit: z.number().int().min(1).max(FILE_BRIDGE_LIMITS.listPage).optional() }),
    result: z.object({ transfers: z.array(fileTransferViewSchema).max(FILE_BRIDGE_LIMITS.listPage), olderCursor: transferIdSchema.nullable() }),
  },
  /** Show the folder holding a received, complete file in the platform's file manager (the file itself is never opened). */
  'files.openFolder': { params: z.object(transfer), result: z.null() },
} as const;

/** What every transfer event names: the contact, the transfer and its direction. */
const transferEvent = { publicKey: publicKeyHexSchema, id: transferIdSchema, direction: fileDirectionSchema };

export const fileProgressEventSchema = z.object({
  ...transferEvent,
  bytes: fileSizeSchema,
  size: fileSizeSchema,
  bytesPerSecond: z.number().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** null while the speed is not known yet. */
  secondsLeft: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable(),
});
export type FileProgress = z.infer<typeof fileProgressEventSchema>;

export const fileStateChangeSchema = z.object({
  ...transferEvent,
  state: fileTransferStateSchema,
  by: fileActorSchema,
  failure: fileFailureSchema.nullable(),
  finalName: finalNameSchema.nullable(),
});
export type FileStateChange = z.infer<typeof fileStateChangeSchema>;

/**
 * FILE-02: a transfer's channel went away mid-transfer (the link dropped, the contact left). It
 * stays accepted and continues from `bytes` by itself once a link is back: no speed, no time left
 * until the next `files.progress` or `files.stateChanged`.
 */
export const fileInterruptedEventSchema = z.object({
  ...transferEvent,
  /** Bytes stored (receiver) or confirmed (sender) so far: where it continues from. */
  bytes: fileSizeSchema,
});
export type FileInterruption = z.infer<typeof fileInterruptedEventSchema>;

/** File events, spread into `bridgeEvents`. */
export const fileEvents = {
  /** A contact offered a file (`autoAccepted`: the auto-accept setting took it; a too-large one arrives already failed). */
  'files.offered': z.object({ transfer: fileTransferViewSchema, autoAccepted: z.boolean() }),
  /** Bytes so far, speed and time left (throttled by the core; the last byte always reported). */
  'files.progress': fileProgressEventSchema,
  /** A transfer was accepted, completed, declined, cancelled or failed. */
  'files.stateChanged': fileStateChangeSchema,
  /** A running transfer stalled: its link dropped; it resumes by itself (FILE-02). */
  'files.interrupted': fileInterruptedEventSchema,
} as const;

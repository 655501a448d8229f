/**
 * Limits of file transfer (FILE-01..03, PROTOCOL.md §8), shared by both ends. Units are in the
 * names; PROTOCOL.md §8.6 restates them.
 */
export const FILE_LIMITS = {
  /** Bytes of a transfer ID (random, like a message ID): 128 bits. */
  transferIdBytes: 16,
  /** UTF-16 units of a file name as offered (the receiver makes its own safe name from it). */
  maxOfferedNameChars: 1024,
  /** UTF-8 bytes of a file name as stored on the receiver's disk. */
  maxSafeNameBytes: 255,
  /** Characters of a MIME type (RFC 6838: type and subtype are at most 127 each). */
  maxMimeChars: 255,
  /** Code points of an optional caption. */
  maxCaptionChars: 2000,
  /** Bytes of an image preview made by the sender (JPEG, PNG or WebP). */
  maxPreviewBytes: 32 * 1024,
  /** The largest file the protocol can describe: 1 TiB. A receiver's own limit is a setting. */
  maxFileBytes: 2 ** 40,
  /** Bytes of the data in one chunk on a transfer's channel. */
  minChunkBytes: 16 * 1024,
  maxChunkBytes: 256 * 1024,
  /** Bounds of the receive window a receiver announces in `file.accept` (credit flow). */
  minWindowBytes: 64 * 1024,
  maxWindowBytes: 64 * 1024 * 1024,
  /** UTF-8 bytes of one encoded control frame (an offer with the largest preview fits). */
  maxControlFrameBytes: 64 * 1024,
  /** Characters of the sentence in a `file.error`. */
  maxErrorMessageChars: 300,
} as const;

/** The label of a transfer's own data channel: the prefix and the transfer ID. */
export const FILE_CHANNEL_PREFIX = 'dopus-file:';

export function fileChannelLabel(transferId: string): string {
  return `${FILE_CHANNEL_PREFIX}${transferId}`;
}

/** The transfer ID a channel label names, or null when the label is not a transfer's. */
export function transferIdOfLabel(label: string): string | null {
  if (!label.startsWith(FILE_CHANNEL_PREFIX)) return null;
  const id = label.slice(FILE_CHANNEL_PREFIX.length);
  return /^[A-Za-z0-9_-]{22}$/.test(id) ? id : null;
}

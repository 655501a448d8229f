/**
 * Limits of the direct-message frames (MSG-01..05), shared by both ends of a link. Units are in
 * the names; PROTOCOL.md §7.6 restates them.
 */
export const MESSAGE_LIMITS = {
  /** Characters (Unicode code points, after NFC) of a message's text. */
  maxTextChars: 4000,
  /** Code points of one reaction (an emoji sequence with its modifiers and joiners). */
  maxEmojiChars: 16,
  /**
   * UTF-8 bytes of one encoded frame. The largest legal frame is a `message.send` of 4,000
   * code points: at most 8,000 UTF-16 units, each at most 6 bytes once JSON-escaped, plus the
   * fixed fields; 64 KiB covers that with room to spare and stays far below a data channel's
   * 256 KiB message limit.
   */
  maxFrameBytes: 64 * 1024,
  /** Bytes of a message ID (random): 128 bits. */
  messageIdBytes: 16,
  /** The highest per-author sequence number a frame may carry. */
  maxSeq: Number.MAX_SAFE_INTEGER,
} as const;

/** Why a text cannot be sent or stored, as one sentence; null when it is fine. */
export function messageTextProblem(text: string): string | null {
  if (typeof text !== 'string') return 'A message is text.';
  if (text.normalize('NFC') !== text) return 'A message must be in Unicode normal form C.';
  if (text.trim() === '') return 'A message cannot be empty.';
  if (text.includes('\u0000')) return 'A message cannot contain the NUL character.';
  if (codePoints(text) > MESSAGE_LIMITS.maxTextChars) {
    return `A message is at most ${MESSAGE_LIMITS.maxTextChars} characters; this one has ${codePoints(text)}.`;
  }
  return null;
}

/** Unicode code points (what SQLite's length() counts for text). */
export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

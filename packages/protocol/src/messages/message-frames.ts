import { z } from 'zod';
import { base64urlToBytes } from '../encoding/bytes';
import { millisSchema, publicKeySchema } from '../wire/primitives';
import { codePoints, MESSAGE_LIMITS, messageTextProblem } from './message-limits';

/**
 * Direct-message frames (MSG-01..05, PROTOCOL.md §7): what two cores say to each other over
 * their identity-bound link, discriminated by `type` (`domain.verb`). Every string is bounded.
 *
 * Sequenced frames (`message.send`, `message.edit`, `message.delete`, `message.react`) carry
 * the author's per-conversation sequence number `seq`, gap-free from 1; the receiver applies
 * them strictly in that order and acknowledges cumulatively (`message.ack`).
 */

const ID_CHARS = Math.ceil((MESSAGE_LIMITS.messageIdBytes * 4) / 3);

/** A message ID: 16 random bytes (128 bits), canonical unpadded base64url (22 characters). */
export const messageIdSchema = z
  .string()
  .length(ID_CHARS, { message: `a message id is ${ID_CHARS} base64url characters`, abort: true })
  .refine((text) => {
    try {
      return base64urlToBytes(text).length === MESSAGE_LIMITS.messageIdBytes;
    } catch {
      return false;
    }
  }, 'a message id is not canonical base64url');
export type MessageId = z.infer<typeof messageIdSchema>;

export const seqSchema = z.number().int().min(1).max(MESSAGE_LIMITS.maxSeq);

/** A numbering epoch: 8 random bytes, unpadded base64url (11 characters). */
export const epochSchema = z
  .string()
  .length(11)
  .regex(/^[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]$/, 'an epoch is 8 bytes of canonical base64url');
/** A cumulative point in a sequence: 0 means "nothing yet". */
export const seqPointSchema = z.number().int().min(0).max(MESSAGE_LIMITS.maxSeq);

/** NFC, not blank, no NUL, at most 4,000 code points (the UTF-16 bound is checked first, cheaply). */
export const messageTextSchema = z
  .string()
  .max(MESSAGE_LIMITS.maxTextChars * 2, { message: `a message is at most ${MESSAGE_LIMITS.maxTextChars} characters`, abort: true })
  .superRefine((text, ctx) => {
    const problem = messageTextProblem(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** One emoji (a sequence with modifiers and joiners): 1–16 code points, no whitespace or controls. */
export const emojiSchema = z
  .string()
  .min(1)
  .max(MESSAGE_LIMITS.maxEmojiChars * 2)
  .refine((e) => codePoints(e) <= MESSAGE_LIMITS.maxEmojiChars, 'a reaction is at most 16 code points')
  .refine((e) => /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(e) && !/[\s\p{Cc}]/u.test(e), 'a reaction is an emoji');

const sequenced = {
  seq: seqSchema,
  /** The author's public key. On a 1:1 link it must be the peer's: anything else is forged. */
  author: publicKeySchema,
  id: messageIdSchema,
};

/** A new message (or, when the author changed it before it left, its current state). */
export const messageSendSchema = z
  .object({
    type: z.literal('message.send'),
    ...sequenced,
    /** The author's clock when it was written. */
    sentAt: millisSchema,
    /** Empty exactly when `deleted` (a message deleted before it was delivered: a tombstone). */
    text: z.union([z.literal(''), messageTextSchema]),
    replyTo: messageIdSchema.nullable(),
    editedAt: millisSchema.nullable(),
    deleted: z.boolean(),
  })
  .refine((m) => m.deleted === (m.text === ''), { message: 'text is empty exactly when the message is deleted', path: ['text'] });

export const messageEditSchema = z.object({
  type: z.literal('message.edit'),
  ...sequenced,
  text: messageTextSchema,
  editedAt: millisSchema,
});

export const messageDeleteSchema = z.object({
  type: z.literal('message.delete'),
  ...sequenced,
  deletedAt: millisSchema,
});

/** Set (`on`) or clear the author's reaction `emoji` on message `id` (either author's message). */
export const messageReactSchema = z.object({
  type: z.literal('message.react'),
  ...sequenced,
  emoji: emojiSchema,
  on: z.boolean(),
  at: millisSchema,
});

/** Cumulative: "I have stored every change of yours up to and including `upTo`". */
export const messageAckSchema = z.object({
  type: z.literal('message.ack'),
  upTo: seqPointSchema,
});

/**
 * Sent by both sides whenever a link opens (and again when a gap shows a frame was lost):
 * `received` is the cumulative ack, `read` the read receipt (null when read receipts are off).
 */
export const messageResumeSchema = z.object({
  type: z.literal('message.resume'),
  received: seqPointSchema,
  read: seqPointSchema.nullable(),
  /**
   * The sender's numbering stream in this conversation (8 random bytes). A new epoch means the
   * sender lost its history and numbers from `from` again. Absent: a peer without epochs.
   */
  epoch: epochSchema.nullable().optional(),
  /** The receiver's stream that `received` and `read` count in; null: the sender holds none of it. */
  receivedEpoch: epochSchema.nullable().optional(),
  /** The first number the sender can still send (its oldest unacknowledged change). */
  from: seqSchema.optional(),
  /**
   * The epoch continues a stream the receiver may hold without an epoch (changes sent before
   * epochs existed): keep its numbering. Absent: a new epoch is a new stream.
   */
  continued: z.literal(true).optional(),
});

/** Cumulative: "I have read your messages up to and including sequence number `upTo`". */
export const receiptReadSchema = z.object({
  type: z.literal('receipt.read'),
  upTo: seqPointSchema,
});

/** Sent at most every few seconds while typing; expires by itself; never stored. */
export const typingStateSchema = z.object({
  type: z.literal('typing.state'),
  typing: z.boolean(),
});

export const messageFrameSchema = z.discriminatedUnion('type', [
  messageSendSchema,
  messageEditSchema,
  messageDeleteSchema,
  messageReactSchema,
  messageAckSchema,
  messageResumeSchema,
  receiptReadSchema,
  typingStateSchema,
]);

export type MessageFrame = z.infer<typeof messageFrameSchema>;
export type MessageFrameType = MessageFrame['type'];
export type MessageFrameOf<T extends MessageFrameType> = Extract<MessageFrame, { type: T }>;
export type SequencedFrame = MessageFrameOf<'message.send' | 'message.edit' | 'message.delete' | 'message.react'>;

export const MESSAGE_FRAME_TYPES = [
  'message.send',
  'message.edit',
  'message.delete',
  'message.react',
  'message.ack',
  'message.resume',
  'receipt.read',
  'typing.state',
] as const satisfies readonly MessageFrameType[];

export const SEQUENCED_FRAME_TYPES: readonly SequencedFrame['type'][] = ['message.send', 'message.edit', 'message.delete', 'message.react'];

export function isSequencedFrame(frame: MessageFrame): frame is SequencedFrame {
  return (SEQUENCED_FRAME_TYPES as readonly string[]).includes(frame.type);
}

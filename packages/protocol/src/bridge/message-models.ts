import { z } from 'zod';
import { MESSAGE_LIMITS, messageTextProblem } from '../messages/message-limits';
import { emojiSchema, messageIdSchema } from '../messages/message-frames';
import { BRIDGE_LIMITS, epochMsSchema, publicKeyHexSchema } from './primitives';

/**
 * Direct messages as the window sees them (MSG-01, MSG-03, MSG-04, MSG-05): the shapes of the
 * core's StoredMessage / HistoryPage / ConversationSummary, every string and list bounded.
 */
export const MESSAGE_BRIDGE_LIMITS = {
  /** The most messages one `messages.history` page or `messages.search` answer carries. */
  pageMessages: 200,
  /** An opaque history cursor the core gave out. */
  cursorChars: 64,
  /** Distinct reactions on one message. */
  reactions: 64,
  /** Who reacted with one emoji (a 1:1 conversation has two people). */
  reactors: 2,
  /** A search query, in characters. */
  searchChars: 200,
} as const;

export const MESSAGE_STATES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export const messageStateSchema = z.enum(MESSAGE_STATES);
export type MessageState = z.infer<typeof messageStateSchema>;

/** The states an own message reaches through a receipt (one event covers every seq up to `upToSeq`). */
export const RECEIPT_STATES = ['sent', 'delivered', 'read'] as const;

export const reactionSchema = z.object({
  emoji: emojiSchema,
  /** Public keys (hex) of who reacted with it. */
  by: z.array(publicKeyHexSchema).max(MESSAGE_BRIDGE_LIMITS.reactors),
});
export type Reaction = z.infer<typeof reactionSchema>;

export const historyCursorSchema = z.string().min(1).max(MESSAGE_BRIDGE_LIMITS.cursorChars);

/** One message of a conversation (the core checked it; only bounded here). */
export const messageSchema = z.object({
  id: messageIdSchema,
  /** The contact the conversation is with. */
  peer: publicKeyHexSchema,
  /** Who wrote it: the own key or `peer`. */
  author: publicKeyHexSchema,
  outgoing: z.boolean(),
  seq: z.number().int().min(1).max(MESSAGE_LIMITS.maxSeq),
  /** '' when deleted. */
  text: z.string().max(MESSAGE_LIMITS.maxTextChars * 2),
  sentAt: epochMsSchema,
  receivedAt: epochMsSchema,
  state: messageStateSchema,
  /** Why an own message failed (state `failed`), one sentence. */
  failure: z.string().max(BRIDGE_LIMITS.reasonChars).nullable(),
  replyTo: messageIdSchema.nullable(),
  editedAt: epochMsSchema.nullable(),
  deleted: z.boolean(),
  reactions: z.array(reactionSchema).max(MESSAGE_BRIDGE_LIMITS.reactions),
  /** Where this message sits in the history (for `before` / `after`). */
  cursor: historyCursorSchema,
});
export type Message = z.infer<typeof messageSchema>;

export const historyPageSchema = z.object({
  /** Oldest first. */
  messages: z.array(messageSchema).max(MESSAGE_BRIDGE_LIMITS.pageMessages),
  /** Pass as `before` for the next older page; null at the start of the conversation. */
  olderCursor: historyCursorSchema.nullable(),
  /** Pass as `after` for the next newer page; null at the end. */
  newerCursor: historyCursorSchema.nullable(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

export const conversationSummarySchema = z.object({
  publicKey: publicKeyHexSchema,
  unread: z.number().int().nonnegative(),
  muted: z.boolean(),
  lastActivityAt: epochMsSchema,
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationListSchema = z.object({
  conversations: z.array(conversationSummarySchema).max(BRIDGE_LIMITS.contacts),
});
export type ConversationList = z.infer<typeof conversationListSchema>;

export const searchResultSchema = z.object({
  /** Newest first. */
  messages: z.array(messageSchema).max(MESSAGE_BRIDGE_LIMITS.pageMessages),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

/** `messages.added` / `messages.updated`: one message of one conversation. */
export const messageChangeSchema = z.object({ publicKey: publicKeyHexSchema, message: messageSchema });
export type MessageChange = z.infer<typeof messageChangeSchema>;

/** Own messages with seq ≤ upToSeq reached `state`. */
export const messageReceiptSchema = z.object({
  publicKey: publicKeyHexSchema,
  state: z.enum(RECEIPT_STATES),
  upToSeq: z.number().int().nonnegative().max(MESSAGE_LIMITS.maxSeq),
});
export type MessageReceipt = z.infer<typeof messageReceiptSchema>;

export const unreadChangeSchema = z.object({ publicKey: publicKeyHexSchema, unread: z.number().int().nonnegative() });
export type UnreadChange = z.infer<typeof unreadChangeSchema>;

export const typingChangeSchema = z.object({ publicKey: publicKeyHexSchema, typing: z.boolean() });
export type TypingChange = z.infer<typeof typingChangeSchema>;

/**
 * Text the user wrote: NFC-normalised first (as the core stores it), then the message rule of
 * the link protocol (not blank, no NUL, at most 4,000 code points), so the app can say the
 * problem before asking the core.
 */
export const messageTextInputSchema = z
  .string()
  .max(MESSAGE_LIMITS.maxTextChars * 4, { message: `A message is at most ${MESSAGE_LIMITS.maxTextChars} characters.`, abort: true })
  .transform((text) => text.normalize('NFC'))
  .superRefine((text, ctx) => {
    const problem = messageTextProblem(text);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** What is wrong with a message the user typed, as one sentence, or null (the bridge's own rule). */
export function messageInputProblem(text: string): string | null {
  const parsed = messageTextInputSchema.safeParse(text);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'This message cannot be sent.');
}

export { emojiSchema as reactionEmojiSchema, messageIdSchema };

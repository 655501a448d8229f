import { z } from 'zod';
import { MESSAGE_LIMITS } from '../messages/message-limits';
import {
  MESSAGE_BRIDGE_LIMITS,
  conversationListSchema,
  historyCursorSchema,
  historyPageSchema,
  messageIdSchema,
  messageSchema,
  messageTextInputSchema,
  reactionEmojiSchema,
  searchResultSchema,
} from './message-models';
import { publicKeyHexSchema } from './primitives';

const done = z.null();
const peer = { publicKey: publicKeyHexSchema };

/**
 * Direct-message calls (MSG-01, MSG-03, MSG-04, MSG-05), spread into `bridgeCalls`. Messages
 * are named by the contact's public key (hex) and the message ID. The core's message errors
 * (BAD_MESSAGE_TEXT, MESSAGE_NOT_FOUND, NOT_YOUR_MESSAGE, MESSAGE_DELETED, BAD_CURSOR, …) keep
 * their code and sentence; what breaks these schemas is BRIDGE_BAD_PARAMS with the rule's sentence.
 */
export const messageCalls = {
  /** MSG-04: every conversation with its unread count and mute, most recent first. */
  'conversations.list': { params: z.object({}), result: conversationListSchema },
  /** MSG-04: a muted conversation counts unread messages but shows no desktop notification. */
  'conversations.setMuted': { params: z.object({ ...peer, muted: z.boolean() }), result: done },
  /** MSG-01: one page of a conversation, oldest first; `before`/`after` are cursors the core gave out. */
  'messages.history': {
    params: z.object({
      ...peer,
      before: historyCursorSchema.optional(),
      after: historyCursorSchema.optional(),
      limit: z.number().int().min(1).max(MESSAGE_BRIDGE_LIMITS.pageMessages).optional(),
    }).refine((p) => p.before === undefined || p.after === undefined, 'ask for messages before or after a cursor, not both'),
    result: historyPageSchema,
  },
  /** MSG-01, MSG-03: store and send (it waits in the outbox while the contact is away); answers the stored message. */
  'messages.send': {
    params: z.object({ ...peer, text: messageTextInputSchema, replyTo: messageIdSchema.nullable().optional() }),
    result: messageSchema,
  },
  /** MSG-03: only the author edits; the other side gets the new text. */
  'messages.edit': { params: z.object({ ...peer, id: messageIdSchema, text: messageTextInputSchema }), result: messageSchema },
  /** MSG-03: only the author deletes; both sides keep a tombstone. */
  'messages.delete': { params: z.object({ ...peer, id: messageIdSchema }), result: messageSchema },
  /** MSG-03: toggle the own reaction with one emoji. */
  'messages.react': { params: z.object({ ...peer, id: messageIdSchema, emoji: reactionEmojiSchema }), result: messageSchema },
  /** MSG-01, MSG-04: the contact's messages up to `seq` were seen in a focused window (the core decides on a read receipt). */
  'messages.markRead': {
    params: z.object({ ...peer, seq: z.number().int().min(0).max(MESSAGE_LIMITS.maxSeq) }),
    result: done,
  },
  /** MSG-01: the user is (not) typing in this conversation; the core paces what it sends. */
  'messages.typing': { params: z.object({ ...peer, typing: z.boolean() }), result: done },
  /** MSG-05: messages containing every word, newest first; in one conversation or all. */
  'messages.search': {
    params: z.object({
      query: z.string().trim().min(1, 'type something to search for').max(MESSAGE_BRIDGE_LIMITS.searchChars),
      publicKey: publicKeyHexSchema.optional(),
      limit: z.number().int().min(1).max(MESSAGE_BRIDGE_LIMITS.pageMessages).optional(),
    }),
    result: searchResultSchema,
  },
} as const;

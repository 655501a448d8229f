import { messageChangeSchema, messageReceiptSchema, typingChangeSchema, unreadChangeSchema } from './message-models';

/**
 * What the core announces about direct messages (MSG-01, MSG-03, MSG-04): one small event per
 * change, never a whole conversation.
 */
export const messageEvents = {
  /** A message appeared (sent from this or another window, or received). */
  'messages.added': messageChangeSchema,
  /** A message was edited, deleted (tombstone), its reactions or its state changed. */
  'messages.updated': messageChangeSchema,
  /** Own messages up to `upToSeq` were sent, delivered or read. */
  'messages.receipt': messageReceiptSchema,
  /** MSG-04: a conversation's unread count changed. */
  'conversations.unread': unreadChangeSchema,
  /** MSG-01: the contact started or stopped typing. */
  'messages.typing': typingChangeSchema,
} as const;

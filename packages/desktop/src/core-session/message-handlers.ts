import type { ClientCore, StoredMessage } from '@discordopus/core';
import {
  BRIDGE_LIMITS,
  type BridgeHandlers,
  type Message,
  type messageCalls,
  type BridgeEmit,
} from '@discordopus/protocol/bridge';

type MessageMethod = keyof typeof messageCalls;

/** The core's StoredMessage as the bridge carries it (the shapes match; this keeps the bridge's field list). */
export function messageForBridge(message: StoredMessage): Message {
  return {
    id: message.id,
    peer: message.peer,
    author: message.author,
    outgoing: message.outgoing,
    seq: message.seq,
    text: message.text,
    sentAt: message.sentAt,
    receivedAt: message.receivedAt,
    state: message.state,
    failure: message.failure === null ? null : message.failure.slice(0, BRIDGE_LIMITS.reasonChars),
    replyTo: message.replyTo,
    editedAt: message.editedAt,
    deleted: message.deleted,
    reactions: message.reactions.map(({ emoji, by }) => ({ emoji, by: [...by] })),
    cursor: message.cursor,
  };
}

/**
 * The bridge's direct-message calls on the open profile's client core (MSG-01, MSG-03..05).
 * `core()` throws VAULT_CLOSED / SESSION_CLOSED as every other call does; the core's
 * MessageError codes pass through with their sentence.
 */
export function messageHandlers(core: () => ClientCore): Pick<BridgeHandlers, MessageMethod> {
  return {
    'conversations.list': async () => ({
      conversations: core()
        .conversations()
        .map(({ peer, unread, muted, lastActivityAt }) => ({ publicKey: peer, unread, muted, lastActivityAt })),
    }),
    'conversations.setMuted': async ({ publicKey, muted }) => {
      core().setConversationMuted(publicKey, muted);
      return null;
    },
    'messages.history': async ({ publicKey, before, after, limit }) => {
      const page = core().history(publicKey, { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), ...(limit !== undefined ? { limit } : {}) });
      return { messages: page.messages.map(messageForBridge), olderCursor: page.olderCursor, newerCursor: page.newerCursor };
    },
    'messages.send': async ({ publicKey, text, replyTo }) => messageForBridge(await core().sendMessageAsync(publicKey, text, { replyTo: replyTo ?? null })),
    'messages.edit': async ({ publicKey, id, text }) => messageForBridge(core().editMessage(publicKey, id, text)),
    'messages.delete': async ({ publicKey, id }) => messageForBridge(core().deleteMessage(publicKey, id)),
    'messages.react': async ({ publicKey, id, emoji }) => messageForBridge(core().toggleReaction(publicKey, id, emoji)),
    'messages.markRead': async ({ publicKey, seq }) => {
      core().markRead(publicKey, seq);
      return null;
    },
    'messages.typing': async ({ publicKey, typing }) => {
      core().setTyping(publicKey, typing);
      return null;
    },
    'messages.search': async ({ query, publicKey, limit }) => ({
      messages: core()
        .searchMessages(query, { ...(publicKey !== undefined ? { peer: publicKey } : {}), ...(limit !== undefined ? { limit } : {}) })
        .map(messageForBridge),
    }),
  };
}

/** The core's message events as bridge events; answers the unsubscribers. */
export function forwardMessageEvents(core: ClientCore, emit: BridgeEmit): (() => void)[] {
  return [
    core.on('messageAdded', ({ peer, message }) => emit('messages.added', { publicKey: peer, message: messageForBridge(message) })),
    core.on('messageUpdated', ({ peer, message }) => emit('messages.updated', { publicKey: peer, message: messageForBridge(message) })),
    core.on('messageReceipt', ({ peer, state, upToSeq }) => emit('messages.receipt', { publicKey: peer, state, upToSeq })),
    core.on('unreadChanged', ({ peer, unread }) => emit('conversations.unread', { publicKey: peer, unread })),
    core.on('typingChanged', ({ peer, typing }) => emit('messages.typing', { publicKey: peer, typing })),
  ];
}

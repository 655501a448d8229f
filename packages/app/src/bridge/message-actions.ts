import type { Message } from '@discordopus/protocol/bridge';
import type { AppStore } from '../store/app-store';
import type { Bridge } from './bridge-client';

/** How many messages one page of a conversation loads. */
export const HISTORY_PAGE = 50;

/**
 * What the user does in a conversation (MSG-01, MSG-03..05). Each action calls the core and sets
 * the store from its answer (the events that repeat it are harmless); errors propagate with the
 * core's code so the component can show the sentence.
 */
export interface MessageActions {
  /** The newest page of a conversation (opening it). */
  loadConversation(publicKey: string): Promise<void>;
  /** The page before the loaded run; false when there is none. */
  loadOlder(publicKey: string): Promise<boolean>;
  /** The page after the loaded run (after a jump); false when there is none. */
  loadNewer(publicKey: string): Promise<boolean>;
  /** Ask the list to bring a loaded message into view and highlight it. */
  focusMessage(publicKey: string, id: string): void;
  /** MSG-05: load the history around a message and ask the list to show it. */
  jumpToMessage(publicKey: string, message: Message): Promise<void>;
  sendMessage(publicKey: string, text: string, replyTo?: string | null): Promise<Message>;
  editMessage(publicKey: string, id: string, text: string): Promise<Message>;
  deleteMessage(publicKey: string, id: string): Promise<Message>;
  toggleReaction(publicKey: string, id: string, emoji: string): Promise<Message>;
  /** The contact's messages up to `seq` were on screen in a focused window. */
  markRead(publicKey: string, seq: number): Promise<void>;
  setTyping(publicKey: string, typing: boolean): Promise<void>;
  setMuted(publicKey: string, muted: boolean): Promise<void>;
  search(query: string, publicKey?: string): Promise<Message[]>;
}

export function createMessageActions(bridge: Bridge, store: AppStore): MessageActions {
  const state = () => store.getState();
  /** One page request per conversation and direction at a time (scroll events come in bursts). */
  const inFlight = new Map<string, Promise<boolean>>();
  const once = (key: string, run: () => Promise<boolean>): Promise<boolean> => {
    const running = inFlight.get(key);
    if (running !== undefined) return running;
    const started = run().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };

  const stored = (publicKey: string, message: Message): Message => {
    state().upsertMessage(publicKey, message);
    return message;
  };

  return {
    loadConversation: async (publicKey) => {
      const page = await bridge.call('messages.history', { publicKey, limit: HISTORY_PAGE });
      state().setHistory(publicKey, page);
    },
    loadOlder: (publicKey) =>
      once(`older:${publicKey}`, async () => {
        const before = state().conversations[publicKey]?.olderCursor ?? null;
        if (before === null) return false;
        const page = await bridge.call('messages.history', { publicKey, before, limit: HISTORY_PAGE });
        state().prependHistory(publicKey, page);
        return true;
      }),
    loadNewer: (publicKey) =>
      once(`newer:${publicKey}`, async () => {
        const after = state().conversations[publicKey]?.newerCursor ?? null;
        if (after === null) return false;
        const page = await bridge.call('messages.history', { publicKey, after, limit: HISTORY_PAGE });
        state().appendHistory(publicKey, page);
        return true;
      }),
    focusMessage: (publicKey, id) => state().setFocusMessage({ publicKey, id }),
    jumpToMessage: async (publicKey, message) => {
      const loaded = state().conversations[publicKey]?.messages.some((m) => m.id === message.id) ?? false;
      if (!loaded) {
        // The page before it, then it and what follows: one contiguous run around the message.
        const older = await bridge.call('messages.history', { publicKey, before: message.cursor, limit: HISTORY_PAGE / 2 });
        const from = older.messages.at(-1)?.cursor;
        const newer = from === undefined
          ? await bridge.call('messages.history', { publicKey, after: 'm0', limit: HISTORY_PAGE })
          : await bridge.call('messages.history', { publicKey, after: from, limit: HISTORY_PAGE });
        state().setHistory(publicKey, { messages: [...older.messages, ...newer.messages], olderCursor: older.olderCursor, newerCursor: newer.newerCursor });
      }
      state().setFocusMessage({ publicKey, id: message.id });
    },
    sendMessage: async (publicKey, text, replyTo = null) => stored(publicKey, await bridge.call('messages.send', { publicKey, text, replyTo })),
    editMessage: async (publicKey, id, text) => stored(publicKey, await bridge.call('messages.edit', { publicKey, id, text })),
    deleteMessage: async (publicKey, id) => stored(publicKey, await bridge.call('messages.delete', { publicKey, id })),
    toggleReaction: async (publicKey, id, emoji) => stored(publicKey, await bridge.call('messages.react', { publicKey, id, emoji })),
    markRead: async (publicKey, seq) => {
      await bridge.call('messages.markRead', { publicKey, seq });
    },
    setTyping: async (publicKey, typing) => {
      await bridge.call('messages.typing', { publicKey, typing });
    },
    setMuted: async (publicKey, muted) => {
      await bridge.call('conversations.setMuted', { publicKey, muted });
      state().setMuted(publicKey, muted);
    },
    search: async (query, publicKey) => (await bridge.call('messages.search', publicKey === undefined ? { query } : { query, publicKey })).messages,
  };
}

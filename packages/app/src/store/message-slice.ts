import type { ConversationSummary, HistoryPage, Message, MessageReceipt } from '@discordopus/protocol/bridge';
import type { Slice } from './slices';

/**
 * One conversation as far as this window has loaded it (MSG-01): a contiguous run of its
 * history, oldest first. `olderCursor` / `newerCursor` say whether more lies before or after
 * the run (a search result jumps into the middle of a long conversation).
 */
export interface ConversationView {
  messages: Message[];
  olderCursor: string | null;
  newerCursor: string | null;
  /** Bumped when the run is replaced (a jump), so the list can scroll anew. */
  generation: number;
}

export interface MessagesSlice {
  /** Loaded conversations by contact key. */
  conversations: Record<string, ConversationView>;
  /** MSG-04: unread counts by contact key (what the core says). */
  unread: Record<string, number>;
  /** MSG-04: muted conversations. */
  muted: Record<string, boolean>;
  /** MSG-01: contacts typing now. */
  typing: Record<string, boolean>;
  /** A message the list should scroll to and highlight (a search result), by id. */
  focusMessage: { publicKey: string; id: string } | null;
  setConversationSummaries(list: ConversationSummary[]): void;
  /** The newest page (or a jump's run): replaces what was loaded. */
  setHistory(publicKey: string, page: HistoryPage): void;
  prependHistory(publicKey: string, page: HistoryPage): void;
  appendHistory(publicKey: string, page: HistoryPage): void;
  /** A new or changed message; a new one joins a loaded conversation only at its live end. */
  upsertMessage(publicKey: string, message: Message): void;
  applyReceipt(receipt: MessageReceipt): void;
  setUnread(publicKey: string, unread: number): void;
  setMuted(publicKey: string, muted: boolean): void;
  setTyping(publicKey: string, typing: boolean): void;
  setFocusMessage(focus: { publicKey: string; id: string } | null): void;
}

const RANK: Record<Message['state'], number> = { failed: 0, queued: 0, sent: 1, delivered: 2, read: 3 };

/** Messages of one conversation are ordered by their history cursor (`m<rowid>`), as the core orders them. */
function cursorOrder(cursor: string): number {
  return Number(cursor.slice(1)) || 0;
}

/**
 * A newer copy of a known message. An own message's state only moves forward: a call's answer
 * ("queued") may arrive after the receipt that already said "sent".
 */
function merged(known: Message, next: Message): Message {
  if (!next.outgoing || next.state === 'failed' || known.state === 'failed' || RANK[next.state] >= RANK[known.state]) return next;
  return { ...next, state: known.state };
}

function insertOrdered(messages: Message[], message: Message): Message[] {
  const index = messages.findIndex((m) => m.id === message.id);
  if (index >= 0) return messages.map((m, i) => (i === index ? merged(m, message) : m));
  const at = cursorOrder(message.cursor);
  let i = messages.length;
  while (i > 0 && cursorOrder(messages[i - 1]!.cursor) > at) i--;
  return [...messages.slice(0, i), message, ...messages.slice(i)];
}

function dedupe(older: Message[], newer: Message[]): Message[] {
  const seen = new Set(newer.map((m) => m.id));
  return [...older.filter((m) => !seen.has(m.id)), ...newer];
}

export const createMessagesSlice: Slice<MessagesSlice> = (set) => ({
  conversations: {},
  unread: {},
  muted: {},
  typing: {},
  focusMessage: null,
  setConversationSummaries: (list) =>
    set({
      unread: Object.fromEntries(list.map((c) => [c.publicKey, c.unread])),
      muted: Object.fromEntries(list.map((c) => [c.publicKey, c.muted])),
    }),
  setHistory: (publicKey, page) =>
    set((s) => ({
      conversations: {
        ...s.conversations,
        [publicKey]: { messages: page.messages, olderCursor: page.olderCursor, newerCursor: page.newerCursor, generation: (s.conversations[publicKey]?.generation ?? 0) + 1 },
      },
    })),
  prependHistory: (publicKey, page) =>
    set((s) => {
      const current = s.conversations[publicKey];
      if (current === undefined) return {};
      return { conversations: { ...s.conversations, [publicKey]: { ...current, messages: dedupe(page.messages, current.messages), olderCursor: page.olderCursor } } };
    }),
  appendHistory: (publicKey, page) =>
    set((s) => {
      const current = s.conversations[publicKey];
      if (current === undefined) return {};
      return { conversations: { ...s.conversations, [publicKey]: { ...current, messages: dedupe(current.messages, page.messages), newerCursor: page.newerCursor } } };
    }),
  upsertMessage: (publicKey, message) =>
    set((s) => {
      const current = s.conversations[publicKey];
      if (current === undefined) return {};
      const known = current.messages.some((m) => m.id === message.id);
      // Past the loaded run (a jump back in time): it is loaded when the user scrolls down to it.
      if (!known && current.newerCursor !== null) return {};
      return { conversations: { ...s.conversations, [publicKey]: { ...current, messages: insertOrdered(current.messages, message) } } };
    }),
  applyReceipt: ({ publicKey, state, upToSeq }) =>
    set((s) => {
      const current = s.conversations[publicKey];
      if (current === undefined) return {};
      let changed = false;
      const messages = current.messages.map((m) => {
        if (!m.outgoing || m.seq > upToSeq || RANK[m.state] >= RANK[state] || m.state === 'failed') return m;
        changed = true;
        return { ...m, state };
      });
      return changed ? { conversations: { ...s.conversations, [publicKey]: { ...current, messages } } } : {};
    }),
  setUnread: (publicKey, unread) => set((s) => ({ unread: { ...s.unread, [publicKey]: unread } })),
  setMuted: (publicKey, muted) => set((s) => ({ muted: { ...s.muted, [publicKey]: muted } })),
  setTyping: (publicKey, typing) => set((s) => ({ typing: { ...s.typing, [publicKey]: typing } })),
  setFocusMessage: (focusMessage) => set({ focusMessage }),
});

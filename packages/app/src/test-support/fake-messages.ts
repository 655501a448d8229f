import { DiscordOpusError, bytesToBase64url } from '@discordopus/protocol';
import type { BridgeHandlers, ConversationSummary, HistoryPage, Message, messageCalls, BridgeEmit } from '@discordopus/protocol/bridge';

type MessageMethod = keyof typeof messageCalls;

const DEFAULT_PAGE = 50;

interface Conversation {
  messages: Message[];
  muted: boolean;
  lastActivityAt: number;
  ownSeq: number;
  peerSeq: number;
  /** The peer's messages up to this seq were read here. */
  readSeq: number;
}

/**
 * Fake cores of one test that reach each other (what the signaling server and the links are for
 * the real core): a message sent to a registered key arrives there at once, if that core has the
 * sender as a contact; otherwise it stays queued, as it would in the real outbox.
 */
export class FakeMessageNetwork {
  readonly #members = new Map<string, FakeMessages>();
  join(key: string, member: FakeMessages): void {
    this.#members.set(key, member);
  }
  leave(key: string, member: FakeMessages): void {
    if (this.#members.get(key) === member) this.#members.delete(key);
  }
  reach(key: string): FakeMessages | null {
    return this.#members.get(key) ?? null;
  }
}

export interface FakeMessagesOptions {
  ownKey: () => string;
  now: () => number;
  emit: BridgeEmit;
  isContact: (publicKey: string) => boolean;
  sendReadReceipts: () => boolean;
  /** Throws as the real core does while locked or closed. */
  guard: (method: string) => void;
  randomId?: () => string;
}

function randomMessageId(): string {
  return bytesToBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * The FakeCore's direct messages (MSG-01, MSG-03..05): the same rules and events as the real
 * core's MessageService behind the bridge (bridge-contract-messages.ts runs on both). Test hooks
 * (`receive`, `receipt`, `typing`) stand in for what a contact's core would send.
 */
export class FakeMessages {
  readonly #o: FakeMessagesOptions;
  #network: FakeMessageNetwork | null = null;
  readonly #conversations = new Map<string, Conversation>();
  #cursor = 0;

  constructor(options: FakeMessagesOptions) {
    this.#o = options;
  }

  /** The same conversations as `other` (a restart of the same profile: history persists, MSG-01). */
  restoreFrom(other: FakeMessages): void {
    this.#conversations.clear();
    for (const [peer, conv] of other.#conversations) this.#conversations.set(peer, structuredClone(conv));
    this.#cursor = other.#cursor;
  }

  /** The other fake cores this one reaches (joined once the identity exists: `online()`). */
  useNetwork(network: FakeMessageNetwork): void {
    this.#network = network;
  }

  online(): void {
    this.#network?.join(this.#o.ownKey(), this);
  }

  offline(): void {
    this.#network?.leave(this.#o.ownKey(), this);
  }

  // ---- what a contact's core would do ----

  /** A message from `peer` arrives (MSG-01). */
  receive(peer: string, text: string, options: { id?: string; replyTo?: string | null; sentAt?: number } = {}): Message {
    const conv = this.#conv(peer);
    conv.peerSeq++;
    const message = this.#new(peer, peer, false, conv.peerSeq, text, options.replyTo ?? null, options.sentAt ?? this.#o.now(), options.id);
    message.state = 'delivered';
    conv.messages.push(message);
    conv.lastActivityAt = this.#o.now();
    this.#o.emit('messages.added', { publicKey: peer, message: { ...message } });
    this.#o.emit('conversations.unread', { publicKey: peer, unread: this.#unread(conv) });
    return message;
  }

  /** The contact changed one of their messages (edit, delete, reaction). */
  receiveUpdate(peer: string, id: string, change: (m: Message) => Message): void {
    const conv = this.#conv(peer);
    const index = conv.messages.findIndex((m) => m.id === id);
    if (index < 0) return;
    const updated = change(conv.messages[index]!);
    conv.messages[index] = updated;
    this.#o.emit('messages.updated', { publicKey: peer, message: { ...updated } });
    if (updated.deleted) this.#o.emit('conversations.unread', { publicKey: peer, unread: this.#unread(conv) });
  }

  /** Own messages up to `upToSeq` reached a state (a receipt from the contact). */
  receipt(peer: string, state: 'sent' | 'delivered' | 'read', upToSeq: number): void {
    const conv = this.#conv(peer);
    const rank = { queued: 0, failed: 0, sent: 1, delivered: 2, read: 3 } as const;
    for (const [i, m] of conv.messages.entries()) {
      if (m.outgoing && m.seq <= upToSeq && rank[m.state] < rank[state]) conv.messages[i] = { ...m, state };
    }
    this.#o.emit('messages.receipt', { publicKey: peer, state, upToSeq });
  }

  /** The contact started or stopped typing. */
  typing(peer: string, typing: boolean): void {
    this.#o.emit('messages.typing', { publicKey: peer, typing });
  }

  /** The messages of one conversation, oldest first (for assertions). */
  all(peer: string): readonly Message[] {
    return this.#conversations.get(peer)?.messages ?? [];
  }

  /** A long conversation at once, without events (component tests: 100,000 messages). */
  seed(peer: string, count: number, make: (i: number) => { text: string; outgoing: boolean; sentAt: number }): void {
    const conv = this.#conv(peer);
    for (let i = 0; i < count; i++) {
      const { text, outgoing, sentAt } = make(i);
      const seq = outgoing ? ++conv.ownSeq : ++conv.peerSeq;
      const m = this.#new(peer, outgoing ? this.#o.ownKey() : peer, outgoing, seq, text, null, sentAt);
      m.state = outgoing ? 'read' : 'delivered';
      conv.messages.push(m);
    }
    conv.readSeq = conv.peerSeq;
    conv.lastActivityAt = this.#o.now();
  }

  readonly handlers: Pick<BridgeHandlers, MessageMethod> = {
    'conversations.list': async () => {
      this.#o.guard('conversations.list');
      const list: ConversationSummary[] = [...this.#conversations.entries()]
        .filter(([, c]) => c.messages.length > 0 || c.muted)
        .map(([publicKey, c]) => ({ publicKey, unread: this.#unread(c), muted: c.muted, lastActivityAt: c.lastActivityAt }))
        .sort((a, b) => b.lastActivityAt - a.lastActivityAt);
      return { conversations: list };
    },
    'conversations.setMuted': async ({ publicKey, muted }) => {
      this.#o.guard('conversations.setMuted');
      this.#conv(publicKey).muted = muted;
      return null;
    },
    'messages.history': async ({ publicKey, before, after, limit }) => {
      this.#o.guard('messages.history');
      return this.#history(publicKey, before, after, limit ?? DEFAULT_PAGE);
    },
    'messages.send': async ({ publicKey, text, replyTo }) => {
      this.#o.guard('messages.send');
      const conv = this.#conv(publicKey);
      if (replyTo != null && !conv.messages.some((m) => m.id === replyTo)) throw notFound();
      conv.ownSeq++;
      const message = this.#new(publicKey, this.#o.ownKey(), true, conv.ownSeq, text, replyTo ?? null, this.#o.now());
      conv.messages.push(message);
      conv.lastActivityAt = this.#o.now();
      this.#o.emit('messages.added', { publicKey, message: { ...message } });
      this.#transmit(publicKey, (there, from) => {
        there.receive(from, text, { id: message.id, replyTo: message.replyTo, sentAt: message.sentAt });
        this.receipt(publicKey, 'delivered', message.seq);
      });
      // As the real core answers: the message as stored when the call ran.
      return { ...message };
    },
    'messages.edit': async ({ publicKey, id, text }) => {
      this.#o.guard('messages.edit');
      return this.#own(publicKey, id, (m) => ({ ...m, text, editedAt: this.#o.now() }));
    },
    'messages.delete': async ({ publicKey, id }) => {
      this.#o.guard('messages.delete');
      return this.#own(publicKey, id, (m) => ({ ...m, text: '', deleted: true, reactions: [] }));
    },
    'messages.react': async ({ publicKey, id, emoji }) => {
      this.#o.guard('messages.react');
      const conv = this.#conv(publicKey);
      const m = this.#find(conv, id);
      if (m.deleted) throw new DiscordOpusError('MESSAGE_DELETED', 'That message was deleted.');
      const updated = toggle(m, emoji, this.#o.ownKey());
      this.#replace(conv, updated);
      this.#o.emit('messages.updated', { publicKey, message: { ...updated } });
      this.#transmit(publicKey, (there, from) => there.receiveUpdate(from, id, (theirs) => toggle(theirs, emoji, this.#o.ownKey())));
      return { ...updated };
    },
    'messages.markRead': async ({ publicKey, seq }) => {
      this.#o.guard('messages.markRead');
      const conv = this.#conv(publicKey);
      const upTo = Math.min(seq, conv.peerSeq);
      if (upTo <= conv.readSeq) return null;
      conv.readSeq = upTo;
      for (const [i, m] of conv.messages.entries()) if (!m.outgoing && m.seq <= upTo && m.state !== 'read') conv.messages[i] = { ...m, state: 'read' };
      this.#o.emit('conversations.unread', { publicKey, unread: this.#unread(conv) });
      if (this.#o.sendReadReceipts()) this.#transmit(publicKey, (there, from) => there.receipt(from, 'read', upTo));
      return null;
    },
    'messages.typing': async ({ publicKey, typing }) => {
      this.#o.guard('messages.typing');
      this.#transmit(publicKey, (there, from) => there.typing(from, typing));
      return null;
    },
    'messages.search': async ({ query, publicKey, limit }) => {
      this.#o.guard('messages.search');
      const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
      const found: Message[] = [];
      for (const [peer, conv] of this.#conversations) {
        if (publicKey !== undefined && peer !== publicKey) continue;
        for (const m of conv.messages) {
          const tokens = m.text.toLowerCase().split(/[^\p{L}\p{N}]+/u);
          if (!m.deleted && words.every((w) => tokens.some((t) => t.startsWith(w)))) found.push(m);
        }
      }
      found.sort((a, b) => cursorNumber(b.cursor) - cursorNumber(a.cursor));
      return { messages: found.slice(0, limit ?? DEFAULT_PAGE).map((m) => ({ ...m })) };
    },
  };

  #history(peer: string, before: string | undefined, after: string | undefined, limit: number): HistoryPage {
    const all = this.#conversations.get(peer)?.messages ?? [];
    if (after !== undefined) {
      const from = cursorNumber(after);
      const rows = all.filter((m) => cursorNumber(m.cursor) > from);
      const page = rows.slice(0, limit);
      return { messages: page.map((m) => ({ ...m })), olderCursor: page[0]?.cursor ?? null, newerCursor: rows.length > limit ? page.at(-1)!.cursor : null };
    }
    const below = before === undefined ? Number.MAX_SAFE_INTEGER : cursorNumber(before);
    let end = all.length;
    while (end > 0 && cursorNumber(all[end - 1]!.cursor) >= below) end--;
    const start = Math.max(0, end - limit);
    const page = all.slice(start, end);
    return {
      messages: page.map((m) => ({ ...m })),
      olderCursor: start > 0 ? page[0]!.cursor : null,
      newerCursor: before !== undefined && page.length > 0 ? page.at(-1)!.cursor : null,
    };
  }

  /** Deliver to the contact's fake core now, if it is on the network and has us as a contact. */
  #transmit(peer: string, deliver: (there: FakeMessages, from: string) => void): void {
    const there = this.#network?.reach(peer) ?? null;
    const from = this.#o.ownKey();
    if (there === null || !there.#o.isContact(from)) return;
    deliver(there, from);
  }

  #own(peer: string, id: string, change: (m: Message) => Message): Message {
    const conv = this.#conv(peer);
    const m = this.#find(conv, id);
    if (!m.outgoing) throw new DiscordOpusError('NOT_YOUR_MESSAGE', 'Only the author can edit or delete a message.');
    if (m.deleted) throw new DiscordOpusError('MESSAGE_DELETED', 'That message was deleted.');
    const updated = change(m);
    this.#replace(conv, updated);
    this.#o.emit('messages.updated', { publicKey: peer, message: { ...updated } });
    this.#transmit(peer, (there, from) => there.receiveUpdate(from, id, (theirs) => ({ ...theirs, text: updated.text, editedAt: updated.editedAt, deleted: updated.deleted, reactions: updated.deleted ? [] : theirs.reactions })));
    return { ...updated };
  }

  #find(conv: Conversation, id: string): Message {
    const m = conv.messages.find((x) => x.id === id);
    if (m === undefined) throw notFound();
    return m;
  }

  #replace(conv: Conversation, updated: Message): void {
    conv.messages = conv.messages.map((m) => (m.id === updated.id ? updated : m));
  }

  #conv(peer: string): Conversation {
    let conv = this.#conversations.get(peer);
    if (conv === undefined) {
      conv = { messages: [], muted: false, lastActivityAt: this.#o.now(), ownSeq: 0, peerSeq: 0, readSeq: 0 };
      this.#conversations.set(peer, conv);
    }
    return conv;
  }

  #unread(conv: Conversation): number {
    return conv.messages.filter((m) => !m.outgoing && !m.deleted && m.seq > conv.readSeq).length;
  }

  #new(peer: string, author: string, outgoing: boolean, seq: number, text: string, replyTo: string | null, sentAt: number, id?: string): Message {
    return {
      id: id ?? (this.#o.randomId ?? randomMessageId)(),
      peer,
      author,
      outgoing,
      seq,
      text,
      sentAt,
      receivedAt: this.#o.now(),
      state: 'queued',
      failure: null,
      replyTo,
      editedAt: null,
      deleted: false,
      reactions: [],
      cursor: `m${++this.#cursor}`,
    };
  }
}

function notFound(): DiscordOpusError {
  return new DiscordOpusError('MESSAGE_NOT_FOUND', 'There is no such message in this conversation.');
}

function cursorNumber(cursor: string): number {
  const match = /^m(0|[1-9][0-9]{0,15})$/.exec(cursor);
  if (match === null) throw new DiscordOpusError('BAD_CURSOR', 'That history cursor is not one this store gave out.');
  return Number(match[1]);
}

function toggle(m: Message, emoji: string, who: string): Message {
  const existing = m.reactions.find((r) => r.emoji === emoji);
  let reactions = m.reactions.filter((r) => r.emoji !== emoji);
  if (existing === undefined) reactions = [...reactions, { emoji, by: [who] }];
  else {
    const by = existing.by.includes(who) ? existing.by.filter((k) => k !== who) : [...existing.by, who].sort();
    if (by.length > 0) reactions = [...reactions, { emoji, by }];
  }
  reactions.sort((a, b) => (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0));
  return { ...m, reactions };
}

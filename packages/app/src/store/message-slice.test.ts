import type { Message } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';

const peer = 'ab'.repeat(32);

function message(id: string, seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: id.padEnd(22, 'A'),
    peer,
    author: 'cd'.repeat(32),
    outgoing: true,
    seq,
    text: `m${seq}`,
    sentAt: 1_000 + seq,
    receivedAt: 1_000 + seq,
    state: 'queued',
    failure: null,
    replyTo: null,
    editedAt: null,
    deleted: false,
    reactions: [],
    cursor: `m${seq}`,
    ...overrides,
  };
}

describe('the messages slice (MSG-01)', () => {
  it('MSG-01: an own message never steps back from sent to queued when the call\'s answer comes after the receipt', () => {
    const store = createAppStore();
    store.getState().setHistory(peer, { messages: [], olderCursor: null, newerCursor: null });
    store.getState().upsertMessage(peer, message('a', 1));
    store.getState().applyReceipt({ publicKey: peer, state: 'sent', upToSeq: 1 });
    store.getState().upsertMessage(peer, message('a', 1));
    expect(store.getState().conversations[peer]!.messages[0]!.state).toBe('sent');
    store.getState().upsertMessage(peer, message('a', 1, { state: 'failed', failure: 'The contact removed you.' }));
    expect(store.getState().conversations[peer]!.messages[0]!.state).toBe('failed');
  });

  it('MSG-01: messages are kept in history order; a new one past a jumped-to run waits until that part is loaded', () => {
    const store = createAppStore();
    store.getState().setHistory(peer, { messages: [message('a', 1), message('c', 3)], olderCursor: null, newerCursor: null });
    store.getState().upsertMessage(peer, message('b', 2));
    expect(store.getState().conversations[peer]!.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    store.getState().setHistory(peer, { messages: [message('a', 1)], olderCursor: null, newerCursor: 'm1' });
    store.getState().upsertMessage(peer, message('d', 4));
    expect(store.getState().conversations[peer]!.messages.map((m) => m.seq)).toEqual([1]);
  });
});

import type { FileTransferView, Message } from '@discordopus/protocol/bridge';
import type { StoredCallLogEntry } from '@discordopus/protocol/calls';
import { describe, expect, it } from 'vitest';
import { buildListItems } from './message-items';

const PEER = 'b'.repeat(64);
const T0 = new Date(2026, 10, 20, 12, 0, 0).getTime();
const MIN = 60_000;

function message(seq: number, sentAt: number, receivedAt = sentAt): Message {
  return {
    id: `m${seq}`.padEnd(22, 'A'),
    peer: PEER,
    author: PEER,
    outgoing: false,
    seq,
    text: `message ${seq}`,
    sentAt,
    receivedAt,
    state: 'delivered',
    failure: null,
    replyTo: null,
    editedAt: null,
    deleted: false,
    reactions: [],
    cursor: `c${seq}`,
  };
}

function transfer(name: string, sentAt: number): FileTransferView {
  return { id: name.padEnd(22, 'F'), peer: PEER, direction: 'in', name, size: 1, mime: 'text/plain', caption: null, preview: null, state: 'offered', by: null, bytesDone: 0, failure: null, sentAt, finalName: null } as FileTransferView;
}

function call(id: string, startedAt: number): StoredCallLogEntry {
  return { callId: id.padEnd(22, 'A'), direction: 'incoming', outcome: 'missed', durationMs: null, startedAt, endedAt: startedAt + 1_000, seen: true };
}

const shape = (items: ReturnType<typeof buildListItems>) =>
  items.map((i) => (i.kind === 'message' ? `${i.message.text}${i.groupStart ? ' (start)' : ''}` : i.kind === 'call' ? `call ${i.entry.callId.slice(0, 2)}` : i.kind === 'file' ? `file ${i.transfer.name}` : i.kind));

describe('one timeline of messages, file transfers and calls (MSG-01, FILE-01, VOICE-04)', () => {
  it('FILE-01, VOICE-04: transfers and calls sit between the messages at their time, each kind on its own clock', () => {
    // The contact's clock is 10 min fast: message 2 is stamped 12:30 but arrived at 12:20 here.
    const messages = [message(1, T0), message(2, T0 + 30 * MIN, T0 + 20 * MIN), message(3, T0 + 40 * MIN)];
    const items = buildListItems(messages, T0, null, {
      // Sent (on the contact's clock, like the message stamps) at 12:25: between messages 1 and 2.
      transfers: [transfer('a.txt', T0 + 25 * MIN)],
      // Started here at 12:22: after message 2 arrived (12:20 here), before message 3.
      calls: [call('CC', T0 + 22 * MIN)],
    });
    // Message 2 continues the contact's run that the file is part of; a call ends a run.
    expect(shape(items)).toEqual(['day', 'message 1 (start)', 'file a.txt', 'message 2', 'call CC', 'message 3 (start)']);
  });

  it('FILE-01, VOICE-04: at the same time a transfer comes before a call; both after all messages when they are the newest', () => {
    const items = buildListItems([message(1, T0)], T0, null, { transfers: [transfer('z.bin', T0 + MIN)], calls: [call('DD', T0 + MIN)] });
    expect(shape(items)).toEqual(['day', 'message 1 (start)', 'file z.bin', 'call DD']);
  });
});

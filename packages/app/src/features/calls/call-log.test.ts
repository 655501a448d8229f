import type { Message } from '@discordopus/protocol/bridge';
import type { StoredCallLogEntry } from '@discordopus/protocol/calls';
import { describe, expect, it } from 'vitest';
import { buildListItems } from '../conversation/message-items';
import { callLogText } from './call-format';
import { callOutcome } from './call-log';

const PEER = 'b'.repeat(64);
const OWN = 'a'.repeat(64);
const T0 = new Date(2026, 10, 20, 12, 0, 0).getTime();

function message(seq: number, sentAt: number, author = PEER): Message {
  return {
    id: `m${seq}`.padEnd(22, 'A'),
    peer: PEER,
    author,
    outgoing: author === OWN,
    seq,
    text: `message ${seq}`,
    sentAt,
    receivedAt: sentAt,
    state: 'delivered',
    failure: null,
    replyTo: null,
    editedAt: null,
    deleted: false,
    reactions: [],
    cursor: `c${seq}`,
  };
}

function call(id: string, startedAt: number, outcome: StoredCallLogEntry['outcome'] = 'missed'): StoredCallLogEntry {
  return { callId: id.padEnd(22, 'A'), direction: 'incoming', outcome, durationMs: outcome === 'completed' ? 252_000 : null, startedAt, endedAt: startedAt + 1_000, seen: true };
}

const shape = (items: ReturnType<typeof buildListItems>) =>
  items.map((i) => (i.kind === 'message' ? `${i.message.text}${i.groupStart ? ' (start)' : ''}` : i.kind === 'call' ? `call ${i.entry.callId.slice(0, 2)}` : i.kind));

describe('call entries in the conversation (VOICE-04)', () => {
  it('VOICE-04: what each way a call ends is kept as, and the words the timeline shows', () => {
    expect(callOutcome('outgoing', 'hangup', 252_400)).toBe('completed');
    expect(callOutcome('incoming', 'remote-hangup', 1_000)).toBe('completed');
    expect(callOutcome('incoming', 'missed', null)).toBe('missed');
    expect(callOutcome('incoming', 'declined', null)).toBe('declined');
    expect(callOutcome('outgoing', 'declined', null)).toBe('declined');
    expect(callOutcome('outgoing', 'no-answer', null)).toBe('no-answer');
    expect(callOutcome('outgoing', 'busy', null)).toBe('busy');
    expect(callOutcome('outgoing', 'hangup', null)).toBe('cancelled');
    expect(callOutcome('outgoing', 'security', null)).toBe('failed');
    expect(callOutcome('incoming', 'peer-lost', null)).toBe('failed');

    const text = (outcome: StoredCallLogEntry['outcome'], durationMs: number | null = null) => callLogText({ direction: 'incoming', outcome, durationMs });
    expect(text('completed', 252_000)).toBe('Call · 4 min 12 s');
    expect(text('completed', 9_600)).toBe('Call · 10 s');
    expect(text('completed', 3_720_000)).toBe('Call · 1 h 2 min');
    expect(text('missed')).toBe('Missed call');
    expect(text('declined')).toBe('Call declined');
    expect(text('no-answer')).toBe('No answer');
    expect(text('cancelled')).toBe('Outgoing call — cancelled');
    expect(text('busy')).toBe('Busy');
    expect(text('failed')).toBe('Call failed');
  });

  it('VOICE-04: calls sit between the messages at the time they started; a message after a call starts a new group', () => {
    const messages = [message(1, T0), message(2, T0 + 60_000), message(3, T0 + 120_000)];
    const items = buildListItems(messages, T0, null, { calls: [call('AA', T0 + 30_000), call('BB', T0 + 90_000, 'completed'), call('CC', T0 + 200_000)] });
    expect(shape(items)).toEqual(['day', 'message 1 (start)', 'call AA', 'message 2 (start)', 'call BB', 'message 3 (start)', 'call CC']);
    // Without calls the same messages group as before.
    expect(shape(buildListItems(messages, T0))).toEqual(['day', 'message 1 (start)', 'message 2', 'message 3']);
  });

  it('VOICE-04: a contact whose clock is 10 min fast does not pull later calls above its message: calls are placed by this side\'s clock (review finding 6)', () => {
    const MIN = 60_000;
    // 12:00 Bob writes "call me?" stamped 12:10 by his fast clock; 12:05 Alice calls him; 12:09 Alice writes.
    const callMe = { ...message(1, T0 + 10 * MIN), receivedAt: T0 };
    const thanks = message(2, T0 + 9 * MIN, OWN);
    expect(shape(buildListItems([callMe, thanks], T0, null, { calls: [call('AA', T0 + 5 * MIN, 'completed')] }))).toEqual(['day', 'message 1 (start)', 'call AA', 'message 2 (start)']);
    // The page cut uses the same clock: a call after the first loaded message's arrival is shown.
    expect(shape(buildListItems([callMe, thanks], T0, null, { calls: [call('AA', T0 + 5 * MIN, 'completed')], range: { hasOlder: true, hasNewer: false } }))).toEqual(['day', 'message 1 (start)', 'call AA', 'message 2 (start)']);
  });

  it('VOICE-04: only calls within the loaded messages show (older and newer ones come with their pages); a call on a new day gets its separator', () => {
    const messages = [message(5, T0), message(6, T0 + 60_000)];
    const calls = [call('AA', T0 - 10_000), call('BB', T0 + 30_000), call('CC', T0 + 90_000)];
    expect(shape(buildListItems(messages, T0, null, { calls, range: { hasOlder: true, hasNewer: true } }))).toEqual(['day', 'message 5 (start)', 'call BB', 'message 6 (start)']);
    expect(shape(buildListItems(messages, T0, null, { calls, range: { hasOlder: false, hasNewer: false } }))).toEqual(['day', 'call AA', 'message 5 (start)', 'call BB', 'message 6 (start)', 'call CC']);
    const nextDay = T0 + 24 * 3_600_000;
    expect(shape(buildListItems(messages, T0, null, { calls: [call('DD', nextDay)] }))).toEqual(['day', 'message 5 (start)', 'message 6', 'day', 'call DD']);
    // A conversation with calls and no messages yet still shows them.
    expect(shape(buildListItems([], T0, null, { calls: [call('EE', T0)] }))).toEqual(['day', 'call EE']);
  });
});

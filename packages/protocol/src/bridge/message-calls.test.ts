import { describe, expect, it } from 'vitest';
import { bridgeCalls } from './bridge-calls';
import { bridgeEvents } from './bridge-events';
import { messageInputProblem } from './message-models';

const publicKey = 'ab'.repeat(32);
const id = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('bridge: direct-message calls and events (MSG-01, MSG-03, MSG-04, MSG-05)', () => {
  it('MSG-01: text is NFC-normalised, then held to the link protocol rule of 4,000 characters', () => {
    const send = bridgeCalls['messages.send'].params;
    expect(send.parse({ publicKey, text: 'Cafe\u0301' }).text).toBe('Café');
    expect(send.safeParse({ publicKey, text: '🌻'.repeat(4000) }).success).toBe(true);
    const long = send.safeParse({ publicKey, text: 'x'.repeat(4001) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.message).toBe('A message is at most 4000 characters; this one has 4001.');
    // Far too long is refused before any normalisation work.
    expect(send.safeParse({ publicKey, text: 'x'.repeat(100_000) }).error?.issues[0]?.message).toBe('A message is at most 4000 characters.');
    expect(messageInputProblem('  \n ')).toBe('A message cannot be empty.');
    expect(messageInputProblem('a\u0000b')).toBe('A message cannot contain the NUL character.');
    expect(messageInputProblem('hello')).toBeNull();
  });

  it('MSG-03: a reaction is one bounded emoji; message IDs are 22 canonical base64url characters', () => {
    const react = bridgeCalls['messages.react'].params;
    expect(react.safeParse({ publicKey, id, emoji: '👍🏽' }).success).toBe(true);
    expect(react.safeParse({ publicKey, id, emoji: 'ok' }).success).toBe(false);
    expect(react.safeParse({ publicKey, id, emoji: '👍'.repeat(17) }).success).toBe(false);
    expect(react.safeParse({ publicKey, id: 'short', emoji: '👍' }).success).toBe(false);
  });

  it('MSG-01, MSG-05: pages and searches are bounded; a page is asked before or after a cursor, not both', () => {
    const history = bridgeCalls['messages.history'].params;
    expect(history.safeParse({ publicKey, limit: 200 }).success).toBe(true);
    expect(history.safeParse({ publicKey, limit: 201 }).success).toBe(false);
    expect(history.safeParse({ publicKey, before: 'm5', after: 'm1' }).success).toBe(false);
    expect(history.safeParse({ publicKey, before: 'x'.repeat(65) }).success).toBe(false);
    const search = bridgeCalls['messages.search'].params;
    expect(search.parse({ query: '  apple ' }).query).toBe('apple');
    expect(search.safeParse({ query: '   ' }).success).toBe(false);
    expect(search.safeParse({ query: 'x'.repeat(201) }).success).toBe(false);
    expect(bridgeCalls['messages.markRead'].params.safeParse({ publicKey, seq: -1 }).success).toBe(false);
  });

  it('MSG-01, MSG-04: events carry one message, a receipt, an unread count or typing', () => {
    expect(bridgeEvents['messages.receipt'].safeParse({ publicKey, state: 'read', upToSeq: 3 }).success).toBe(true);
    expect(bridgeEvents['messages.receipt'].safeParse({ publicKey, state: 'queued', upToSeq: 3 }).success).toBe(false);
    expect(bridgeEvents['conversations.unread'].safeParse({ publicKey, unread: -1 }).success).toBe(false);
    expect(bridgeEvents['messages.typing'].safeParse({ publicKey, typing: true }).success).toBe(true);
  });
});

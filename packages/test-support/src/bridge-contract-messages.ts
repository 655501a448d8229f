import { DiscordOpusError } from '@discordopus/protocol';
import type { BridgeEventName, Message } from '@discordopus/protocol/bridge';
import { expect, it } from 'vitest';
import type { BridgeCoreUnderTest } from './bridge-contract';
import { waitFor } from './wait';
import { call, mutualPair } from './bridge-contract-support';

/**
 * The direct-message part of the bridge core contract (MSG-01, MSG-03, MSG-04, MSG-05), run by
 * describeBridgeCoreContract against the real CoreSession and the app's FakeCore.
 */
export interface MessageContractContext {
  /** A new profile with an identity, its events recorded. */
  created(displayName?: string): Promise<{ core: BridgeCoreUnderTest; events: { event: BridgeEventName; payload: unknown }[] }>;
  /** The same profile after a restart, unlocked again. */
  restarted(core: BridgeCoreUnderTest): Promise<BridgeCoreUnderTest>;
  /** A user ID of a key nobody runs (a contact who never comes online). */
  someonesUserId(): string;
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) return { code: 'no error', message: '' };
  return error instanceof DiscordOpusError ? { code: error.code, message: error.message } : { code: `not a DiscordOpusError: ${String(error)}`, message: '' };
}

/** A well-formed message ID that names no message. */
const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function describeMessageContract(ctx: MessageContractContext): void {
  async function withContact() {
    const r = await ctx.created('Alice');
    const contact = await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() });
    return { ...r, peer: contact.publicKey };
  }

  const added = (events: { event: BridgeEventName; payload: unknown }[]) =>
    events.filter((e) => e.event === 'messages.added').map((e) => (e.payload as { publicKey: string; message: Message }));

  it('MSG-01: a message to a contact who is away is stored, announced and waits in the outbox; history has it', async () => {
    const r = await withContact();
    const sent = await call(r.core, 'messages.send', { publicKey: r.peer, text: 'Cafe\u0301 at noon?' });
    // Text is stored in normal form C, as the link protocol carries it.
    expect(sent).toMatchObject({ peer: r.peer, outgoing: true, text: 'Café at noon?', deleted: false, editedAt: null, replyTo: null, reactions: [] });
    expect(['queued', 'sent']).toContain(sent.state);
    await waitFor(() => added(r.events).some((e) => e.publicKey === r.peer && e.message.id === sent.id), 'messages.added');
    const page = await call(r.core, 'messages.history', { publicKey: r.peer });
    expect(page.messages.map((m) => m.id)).toEqual([sent.id]);
    expect(page.olderCursor).toBeNull();
    const list = await call(r.core, 'conversations.list', {});
    expect(list.conversations).toEqual([expect.objectContaining({ publicKey: r.peer, unread: 0, muted: false })]);
  });

  it('MSG-01, MSG-03: the history, its edits and reactions and the mute persist across a restart', async () => {
    const r = await withContact();
    const first = await call(r.core, 'messages.send', { publicKey: r.peer, text: 'kept' });
    await call(r.core, 'messages.send', { publicKey: r.peer, text: 'also kept', replyTo: first.id });
    await call(r.core, 'messages.edit', { publicKey: r.peer, id: first.id, text: 'kept, edited' });
    await call(r.core, 'messages.react', { publicKey: r.peer, id: first.id, emoji: '🎉' });
    await call(r.core, 'conversations.setMuted', { publicKey: r.peer, muted: true });
    const before = await call(r.core, 'messages.history', { publicKey: r.peer });
    const again = await ctx.restarted(r.core);
    const after = await call(again, 'messages.history', { publicKey: r.peer });
    expect(after.messages.map((m) => ({ id: m.id, text: m.text, replyTo: m.replyTo, reactions: m.reactions.map((x) => x.emoji), edited: m.editedAt !== null }))).toEqual(
      before.messages.map((m) => ({ id: m.id, text: m.text, replyTo: m.replyTo, reactions: m.reactions.map((x) => x.emoji), edited: m.editedAt !== null })),
    );
    expect((await call(again, 'conversations.list', {})).conversations).toEqual([expect.objectContaining({ publicKey: r.peer, muted: true })]);
  });

  it('MSG-01: text over 4,000 characters, blank text, a bad emoji and a bad key are refused with a code and a sentence', async () => {
    const r = await withContact();
    const long = await errorOf(call(r.core, 'messages.send', { publicKey: r.peer, text: 'x'.repeat(4001) }));
    expect(long.code).toBe('BRIDGE_BAD_PARAMS');
    expect(long.message).toMatch(/at most 4000 characters/);
    expect((await errorOf(call(r.core, 'messages.send', { publicKey: r.peer, text: ' \n ' }))).code).toBe('BRIDGE_BAD_PARAMS');
    // 4,000 emoji are 8,000 UTF-16 units but 4,000 characters: allowed.
    const emoji = await call(r.core, 'messages.send', { publicKey: r.peer, text: '🌻'.repeat(4000) });
    expect(emoji.text).toBe('🌻'.repeat(4000));
    expect((await errorOf(call(r.core, 'messages.react', { publicKey: r.peer, id: emoji.id, emoji: 'abc' }))).code).toBe('BRIDGE_BAD_PARAMS');
    expect((await errorOf(call(r.core, 'messages.send', { publicKey: 'nope', text: 'hi' }))).code).toBe('BRIDGE_BAD_PARAMS');
    expect((await errorOf(call(r.core, 'messages.history', { publicKey: r.peer, limit: 201 }))).code).toBe('BRIDGE_BAD_PARAMS');
    expect((await errorOf(call(r.core, 'messages.history', { publicKey: r.peer, before: 'not-a-cursor' }))).code).toBe('BAD_CURSOR');
    expect((await call(r.core, 'messages.history', { publicKey: r.peer })).messages).toHaveLength(1);
  });

  it('MSG-01: history comes in pages, oldest first, each older page through the cursor of the one before', async () => {
    const r = await withContact();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await call(r.core, 'messages.send', { publicKey: r.peer, text: `message ${i}` })).id);
    const newest = await call(r.core, 'messages.history', { publicKey: r.peer, limit: 2 });
    expect(newest.messages.map((m) => m.id)).toEqual(ids.slice(3));
    expect(newest.olderCursor).not.toBeNull();
    const middle = await call(r.core, 'messages.history', { publicKey: r.peer, limit: 2, before: newest.olderCursor! });
    expect(middle.messages.map((m) => m.id)).toEqual(ids.slice(1, 3));
    const oldest = await call(r.core, 'messages.history', { publicKey: r.peer, limit: 2, before: middle.olderCursor! });
    expect(oldest.messages.map((m) => m.id)).toEqual(ids.slice(0, 1));
    expect(oldest.olderCursor).toBeNull();
    const after = await call(r.core, 'messages.history', { publicKey: r.peer, after: oldest.messages[0]!.cursor, limit: 3 });
    expect(after.messages.map((m) => m.id)).toEqual(ids.slice(1, 4));
    expect(after.newerCursor).not.toBeNull();
  });

  it('MSG-03: the author edits, reacts to and deletes a message; each change is announced; a deleted one stays a tombstone', async () => {
    const r = await withContact();
    const first = await call(r.core, 'messages.send', { publicKey: r.peer, text: 'first' });
    const reply = await call(r.core, 'messages.send', { publicKey: r.peer, text: 'a reply', replyTo: first.id });
    expect(reply.replyTo).toBe(first.id);
    const edited = await call(r.core, 'messages.edit', { publicKey: r.peer, id: first.id, text: 'first, edited' });
    expect(edited).toMatchObject({ id: first.id, text: 'first, edited' });
    expect(edited.editedAt).not.toBeNull();
    const reacted = await call(r.core, 'messages.react', { publicKey: r.peer, id: first.id, emoji: '👍🏽' });
    expect(reacted.reactions).toEqual([{ emoji: '👍🏽', by: [expect.stringMatching(/^[0-9a-f]{64}$/)] }]);
    expect((await call(r.core, 'messages.react', { publicKey: r.peer, id: first.id, emoji: '👍🏽' })).reactions).toEqual([]);
    const deleted = await call(r.core, 'messages.delete', { publicKey: r.peer, id: first.id });
    expect(deleted).toMatchObject({ id: first.id, deleted: true, text: '' });
    expect((await errorOf(call(r.core, 'messages.edit', { publicKey: r.peer, id: first.id, text: 'again' }))).code).toBe('MESSAGE_DELETED');
    expect((await errorOf(call(r.core, 'messages.delete', { publicKey: r.peer, id: UNKNOWN_ID }))).code).toBe('MESSAGE_NOT_FOUND');
    await waitFor(() => {
      const updates = r.events.filter((e) => e.event === 'messages.updated').map((e) => (e.payload as { message: Message }).message);
      return updates.some((m) => m.deleted && m.id === first.id) && updates.some((m) => m.editedAt !== null);
    }, 'messages.updated for the edit and the delete');
    const page = await call(r.core, 'messages.history', { publicKey: r.peer });
    expect(page.messages.map((m) => [m.text, m.deleted])).toEqual([['', true], ['a reply', false]]);
  });

  it('MSG-05: search finds messages by word prefix, newest first, in one conversation or all', async () => {
    const r = await withContact();
    const other = await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() });
    await call(r.core, 'messages.send', { publicKey: r.peer, text: 'apple pie tonight' });
    await call(r.core, 'messages.send', { publicKey: r.peer, text: 'banana split' });
    await call(r.core, 'messages.send', { publicKey: r.peer, text: 'Apples and crumble' });
    await call(r.core, 'messages.send', { publicKey: other.publicKey, text: 'apple juice' });
    const inOne = await call(r.core, 'messages.search', { query: 'appl', publicKey: r.peer });
    expect(inOne.messages.map((m) => m.text)).toEqual(['Apples and crumble', 'apple pie tonight']);
    const all = await call(r.core, 'messages.search', { query: 'apple' });
    expect(all.messages.map((m) => m.text).sort()).toEqual(['Apples and crumble', 'apple juice', 'apple pie tonight']);
    expect((await call(r.core, 'messages.search', { query: 'cherry' })).messages).toEqual([]);
    expect((await errorOf(call(r.core, 'messages.search', { query: '   ' }))).code).toBe('BRIDGE_BAD_PARAMS');
  });

  it('MSG-04, MSG-01: a conversation can be muted; read receipts can be switched off and the choice is announced', async () => {
    const r = await withContact();
    await call(r.core, 'messages.send', { publicKey: r.peer, text: 'hello' });
    expect(await call(r.core, 'conversations.setMuted', { publicKey: r.peer, muted: true })).toBeNull();
    expect((await call(r.core, 'conversations.list', {})).conversations).toEqual([expect.objectContaining({ publicKey: r.peer, muted: true })]);
    expect((await call(r.core, 'settings.get', {})).sendReadReceipts).toBe(true);
    expect((await call(r.core, 'settings.set', { sendReadReceipts: false })).sendReadReceipts).toBe(false);
    await waitFor(() => r.events.some((e) => e.event === 'settings.changed' && (e.payload as { sendReadReceipts?: boolean }).sendReadReceipts === false), 'settings.changed');
    expect(await call(r.core, 'messages.typing', { publicKey: r.peer, typing: true })).toBeNull();
  });

  it('MSG-01, MSG-04: between two mutual contacts a message arrives, counts as unread, and reading it clears the count and tells the sender', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair((name) => ctx.created(name));
    const sent = await call(alice.core, 'messages.send', { publicKey: bobKey, text: 'hi Bob' });
    await waitFor(() => added(bob.events).some((e) => e.publicKey === aliceKey && e.message.id === sent.id), 'bob gets the message', 60_000);
    const got = added(bob.events).find((e) => e.message.id === sent.id)!.message;
    expect(got).toMatchObject({ outgoing: false, author: aliceKey, text: 'hi Bob' });
    await waitFor(async () => (await call(bob.core, 'conversations.list', {})).conversations.some((c) => c.publicKey === aliceKey && c.unread === 1), 'unread 1');
    await call(bob.core, 'messages.markRead', { publicKey: aliceKey, seq: got.seq });
    await waitFor(() => bob.events.some((e) => e.event === 'conversations.unread' && (e.payload as { unread: number }).unread === 0), 'conversations.unread 0');
    expect((await call(bob.core, 'conversations.list', {})).conversations.find((c) => c.publicKey === aliceKey)?.unread).toBe(0);
    await waitFor(
      () => alice.events.some((e) => e.event === 'messages.receipt' && (e.payload as { state: string; upToSeq: number }).state === 'read' && (e.payload as { upToSeq: number }).upToSeq >= sent.seq),
      'alice sees the read receipt',
      60_000,
    );
  });

  it('MSG-01: with read receipts off, reading tells the sender nothing (a later message from the reader arrives, a read receipt never does)', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair((name) => ctx.created(name));
    await call(bob.core, 'settings.set', { sendReadReceipts: false });
    const sent = await call(alice.core, 'messages.send', { publicKey: bobKey, text: 'read this quietly' });
    await waitFor(() => added(bob.events).some((e) => e.message.id === sent.id), 'bob gets the message', 60_000);
    await call(bob.core, 'messages.markRead', { publicKey: aliceKey, seq: added(bob.events).find((e) => e.message.id === sent.id)!.message.seq });
    // Whatever bob's core sends after marking it read travels behind it on the same ordered link.
    const answer = await call(bob.core, 'messages.send', { publicKey: aliceKey, text: 'done' });
    await waitFor(() => added(alice.events).some((e) => e.message.id === answer.id), 'alice gets bob\'s answer', 60_000);
    await waitFor(
      () => alice.events.some((e) => e.event === 'messages.receipt' && (e.payload as { state: string }).state === 'delivered'),
      'alice sees her message delivered',
      60_000,
    );
    expect(alice.events.some((e) => e.event === 'messages.receipt' && (e.payload as { state: string }).state === 'read')).toBe(false);
  });
}

import { bytesToHex } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { codeOf, createTestVault } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { Identity } from '../identity/identity';
import type { Vault } from '../vault/vault';

const bob = bytesToHex(Identity.create('Bob').publicKey);

async function vault(): Promise<Vault> {
  const v = await createTestVault(tempDir());
  return v;
}

describe('MessageStore (MSG-01..05) on a real SQLCipher vault', () => {
  it('MSG-02: every own change takes the next gap-free sequence number in its own transaction; a message starts queued', async () => {
    const v = await vault();
    const m1 = v.messages.send(bob, 'one');
    const m2 = v.messages.send(bob, 'two');
    v.messages.edit(bob, m1.id, 'one, edited');
    v.messages.toggleReaction(bob, m2.id, '👍');
    const m3 = v.messages.send(bob, 'three');
    expect([m1.seq, m2.seq, m3.seq]).toEqual([1, 2, 5]);
    expect(m1).toMatchObject({ outgoing: true, author: v.messages.ownKey, peer: bob, state: 'queued', deleted: false });
    expect(m1.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(v.messages.syncPoints(bob)).toEqual({ ownSeq: 5, peerAcked: 0, peerRead: 0, received: 0, read: 0, ownEpoch: expect.stringMatching(/^[A-Za-z0-9_-]{11}$/), ownEpochContinued: false, peerEpoch: null, peerSeqBase: 0 });
    expect(v.messages.pendingFrames(bob, 0, 100).map((f) => [f.type, f.seq])).toEqual([
      ['message.send', 1],
      ['message.send', 2],
      ['message.edit', 3],
      ['message.react', 4],
      ['message.send', 5],
    ]);
    v.close();
  });

  it('MSG-01: text is stored in NFC; over 4,000 characters, blank or with NUL is refused with a clear error before anything is stored', async () => {
    const v = await vault();
    const decomposed = 'Cafe\u0301';
    expect(v.messages.send(bob, decomposed).text).toBe('Café');
    const emoji = '😀'.repeat(4000); // 8,000 UTF-16 units, 4,000 characters: allowed
    expect(v.messages.send(bob, emoji).text).toBe(emoji);
    for (const bad of ['a'.repeat(4001), '😀'.repeat(4001), '   ', 'a\u0000b']) {
      expect(codeOf(() => v.messages.send(bob, bad))).toBe('BAD_MESSAGE_TEXT');
    }
    try {
      v.messages.send(bob, 'x'.repeat(4001));
    } catch (err) {
      expect((err as Error).message).toMatch(/at most 4000 characters; this one has 4001/);
    }
    expect(v.messages.syncPoints(bob).ownSeq).toBe(2);
    expect(v.messages.history(bob).messages).toHaveLength(2);
    v.close();
  });

  it('MSG-03: only own messages can be edited or deleted; a delete wipes the text, its reactions and its search entry and keeps a tombstone', async () => {
    const v = await vault();
    const m = v.messages.send(bob, 'secret plans for tuesday');
    v.messages.toggleReaction(bob, m.id, '🎉');
    expect(v.messages.search(bob, 'tuesday').map((x) => x.id)).toEqual([m.id]);
    const edited = v.messages.edit(bob, m.id, 'secret plans for wednesday');
    expect(edited.editedAt).not.toBeNull();
    expect(v.messages.search(bob, 'tuesday')).toEqual([]);
    const gone = v.messages.delete(bob, m.id);
    expect(gone).toMatchObject({ text: '', deleted: true, reactions: [] });
    expect(v.messages.search(bob, 'wednesday')).toEqual([]);
    expect(codeOf(() => v.messages.edit(bob, m.id, 'again'))).toBe('MESSAGE_DELETED');
    expect(codeOf(() => v.messages.edit(bob, 'AAAAAAAAAAAAAAAAAAAAAA', 'x'))).toBe('MESSAGE_NOT_FOUND');
    expect(codeOf(() => v.messages.edit(bob, 'not-an-id', 'x'))).toBe('BAD_MESSAGE_ID');
    // A pending edit of a message deleted since goes out as a delete: no wiped text leaves.
    const frames = v.messages.pendingFrames(bob, 0, 10);
    expect(frames.map((f) => f.type)).toEqual(['message.send', 'message.react', 'message.delete', 'message.delete']);
    expect(frames[0]).toMatchObject({ text: '', deleted: true });
    v.close();
  });

  it('MSG-03: reactions toggle per user', async () => {
    const v = await vault();
    const m = v.messages.send(bob, 'hi');
    expect(v.messages.toggleReaction(bob, m.id, '👍').reactions).toEqual([{ emoji: '👍', by: [v.messages.ownKey] }]);
    expect(v.messages.toggleReaction(bob, m.id, '👍').reactions).toEqual([]);
    expect(codeOf(() => v.messages.toggleReaction(bob, m.id, 'abc'))).toBe('BAD_REACTION');
    v.close();
  });

  it('history is read in pages by cursor, oldest first within a page, never as a whole list', async () => {
    const v = await vault();
    const sent = v.messages.sendMany(bob, Array.from({ length: 120 }, (_, i) => `m${i}`));
    const newest = v.messages.history(bob);
    expect(newest.messages.map((m) => m.text)).toEqual(sent.slice(70).map((m) => m.text));
    expect(newest.newerCursor).toBeNull();
    const older = v.messages.history(bob, { before: newest.olderCursor! });
    expect(older.messages.map((m) => m.text)).toEqual(sent.slice(20, 70).map((m) => m.text));
    const oldest = v.messages.history(bob, { before: older.olderCursor! });
    expect(oldest.messages.map((m) => m.text)).toEqual(sent.slice(0, 20).map((m) => m.text));
    expect(oldest.olderCursor).toBeNull();
    const forward = v.messages.history(bob, { after: oldest.messages.at(-1)!.cursor, limit: 10 });
    expect(forward.messages.map((m) => m.text)).toEqual(sent.slice(20, 30).map((m) => m.text));
    expect(codeOf(() => v.messages.history(bob, { before: "m1' OR 1=1" }))).toBe('BAD_CURSOR');
    expect(v.messages.history(bob, { limit: 100_000 }).messages).toHaveLength(120); // capped at MAX_PAGE_SIZE (500)
    v.close();
  });

  it('MSG-04: unread counts, read points and the first-unread cursor (also when the very first message is unread)', async () => {
    const v = await vault();
    const alice = bytesToHex(Identity.create('Alice').publicKey);
    const bobVault = await createTestVault(tempDir(), { displayName: 'Bob' });
    const other = bobVault.messages;
    const frames = other.sendMany(v.messages.ownKey, ['one', 'two', 'three']).map((_, i) => other.pendingFrames(v.messages.ownKey, i, 1)[0]!);
    bobVault.close();
    const from = bytesToHex(Buffer.from(frames[0]!.author, 'base64url'));
    expect(v.messages.firstUnreadCursor(from)).toBeNull();
    v.messages.applyIncoming(from, frames[0]!.author, frames);
    expect(v.messages.unreadCount(from)).toBe(3);
    expect(v.messages.history(from, { after: v.messages.firstUnreadCursor(from)! }).messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);
    expect(v.messages.markRead(from, 2)).toBe(2);
    expect(v.messages.markRead(from, 99)).toBe(3); // clamped to what arrived
    expect(v.messages.unreadCount(from)).toBe(0);
    v.messages.setMuted(from, true);
    expect(v.messages.conversations()).toEqual([expect.objectContaining({ peer: from, unread: 0, muted: true })]);
    // Outbox: who is waiting for a link.
    v.messages.send(alice, 'queued for alice');
    expect(v.messages.peersWithPending()).toEqual([alice]);
    v.close();
  });

  it('MSG-05: search matches every word as a prefix, ignores case and accents, and never lets FTS syntax through', async () => {
    const v = await vault();
    v.messages.send(bob, 'Let us meet at the Café Müller');
    v.messages.send(bob, 'meeting moved');
    v.messages.send(bob, 'nothing here');
    expect(v.messages.search(bob, 'cafe mull').map((m) => m.text)).toEqual(['Let us meet at the Café Müller']);
    expect(v.messages.search(bob, 'MEET').map((m) => m.text)).toEqual(['meeting moved', 'Let us meet at the Café Müller']);
    for (const hostile of ['"', 'NEAR(meet', 'meet OR *', '-', 'text:meet', "') --"]) {
      expect(() => v.messages.search(bob, hostile)).not.toThrow();
    }
    expect(v.messages.search(bob, '   ')).toEqual([]);
    v.close();
  });
});

import { describe, expect, it } from 'vitest';
import { useCliHarness } from './harness/cli-harness';
import { fullHistory, type MessageCore, startMessageCore } from './harness/message-core';
import { waitFor } from './harness/server-process';

/**
 * `discordopus-cli send | history | listen | search` (MSG-01, MSG-02, MSG-05), run as the CLI
 * runs (main() with its own streams) against a real signaling server process; the contact is a
 * real client core in this process. ICE stays on 127.0.0.1.
 */
const { serverUrl, track, run, aliceAndBob } = useCliHarness<MessageCore>({
  tempPrefix: 'dop-cli-msg-',
  startCore: (name, url) => startMessageCore(name, url),
  userIdOf: (c) => c.userId,
});

describe('discordopus-cli messages (MSG-01, MSG-02, MSG-05)', () => {
  it('MSG-01: send <nickname> <text> exits 0 once the contact has stored it; history shows it delivered, in JSON or for people', async () => {
    const { home, aliceId, bob } = await aliceAndBob();
    const sent = await run(home, ['--json', 'send', 'bobby', 'hello', 'from', 'the', 'shell']);
    expect(sent.err).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.lines.map((l) => l.event)).toEqual(['queued', 'delivered']);
    const id = sent.lines[0]!.id as string;
    const alice = bob.vault.contacts.list()[0]!;
    expect(alice.userId).toBe(aliceId);
    expect(fullHistory(bob, alice.publicKey).map((m) => [m.id, m.text])).toEqual([[id, 'hello from the shell']]);

    const history = await run(home, ['--json', 'history', bob.userId]);
    expect(history.lines).toEqual([expect.objectContaining({ id, text: 'hello from the shell', state: 'delivered', outgoing: true, contact: bob.userId })]);
    expect((await run(home, ['history', 'bobby'])).out).toMatch(/ Alice: hello from the shell \[delivered\]\n$/);
  });

  it('MSG-02: send --no-wait stores the message and exits; listen delivers it when the contact is online and prints what arrives as JSON lines', async () => {
    const { home, bob } = await aliceAndBob();
    bob.stop();
    const queued = await run(home, ['--json', 'send', '--no-wait', 'bobby', 'while you were away']);
    expect(queued.code).toBe(0);
    expect(queued.lines).toEqual([expect.objectContaining({ event: 'queued', state: 'queued', text: 'while you were away' })]);

    const bob2 = await startMessageCore('Bob', serverUrl(), { dir: bob.dir });
    track(bob2);
    const aliceHex = bob2.vault.contacts.list()[0]!.publicKey;
    // listen runs until "Ctrl-C": here, once bob's answer has been printed.
    const listening = run(home, ['--json', 'listen'], (out) => out.includes('"text":"welcome back"'));
    await waitFor(() => fullHistory(bob2, aliceHex).some((m) => m.text === 'while you were away'), 'bob got the queued message');
    bob2.root.sendMessage(aliceHex, 'welcome back');
    const listened = await listening;
    expect(listened.code).toBe(0);
    const events = listened.lines.map((l) => l.event);
    expect(events).toEqual(expect.arrayContaining(['connection', 'link', 'receipt', 'message']));
    expect(listened.lines).toContainEqual(expect.objectContaining({ event: 'receipt', state: 'delivered', upToSeq: 1, contact: bob.userId }));
    expect(listened.lines).toContainEqual(expect.objectContaining({ event: 'message', change: 'added', text: 'welcome back', outgoing: false, contact: bob.userId }));
    expect(listened.err).toBe('');
  });

  it('MSG-05: search finds messages by word prefix across conversations, newest first; bad input gets a code and a sentence', async () => {
    const { home } = await aliceAndBob();
    for (const t of ['the quick brown fox', 'a slow brown dog', 'nothing here']) expect((await run(home, ['send', '--no-wait', 'bobby', t])).code).toBe(0);
    const found = await run(home, ['--json', 'search', 'brow']);
    expect(found.lines.map((l) => l.text)).toEqual(['a slow brown dog', 'the quick brown fox']);
    expect((await run(home, ['--json', 'search', 'brown', 'fox', '--contact', 'bobby'])).lines.map((l) => l.text)).toEqual(['the quick brown fox']);
    expect((await run(home, ['search', 'zebra'])).out).toBe('Nothing found.\n');

    const blank = await run(home, ['send', '--no-wait', 'bobby', '   ']);
    expect(blank.code).toBe(1);
    expect(blank.err).toMatch(/^BAD_MESSAGE_TEXT: A message cannot be empty\./);
    const long = await run(home, ['send', '--no-wait', 'bobby', 'x'.repeat(4001)]);
    expect(long.err).toMatch(/^BAD_MESSAGE_TEXT: A message is at most 4000 characters/);
    expect((await run(home, ['send', 'nobody', 'hi'])).err).toMatch(/^CONTACT_NOT_FOUND: /);
    expect((await run(home, ['history', 'bobby', '--limit', '0'])).err).toMatch(/^USAGE: --limit is a whole number/);
  });

  it('MSG-02, PRES-03: send while the profile is invisible opens the link with intent user once the contact shows online, and delivers; the contact still sees the user offline', async () => {
    const { home, aliceId, bob } = await aliceAndBob();
    expect((await run(home, ['status', 'invisible'])).code).toBe(0);
    const aliceSeenByBob: string[] = [];
    bob.root.on('presenceChanged', (e) => {
      if (bob.vault.contacts.get(e.publicKey)?.userId === aliceId) aliceSeenByBob.push(e.status);
    });
    const sent = await run(home, ['--json', 'send', 'bobby', 'quietly'], (out) => out.includes('"event":"delivered"'));
    expect(sent.err).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.lines.filter((l) => l.event === 'queued' || l.event === 'delivered').map((l) => l.event)).toEqual(['queued', 'delivered']);
    const alice = bob.vault.contacts.list()[0]!;
    expect(fullHistory(bob, alice.publicKey).map((m) => m.text)).toEqual(['quietly']);
    expect(aliceSeenByBob.filter((s) => s === 'online' || s === 'away' || s === 'busy')).toEqual([]);
  });

  it('MSG-02: send to a contact who stays offline exits 1 with NOT_DELIVERED at Ctrl-C; the message stays queued', async () => {
    const { home, bob } = await aliceAndBob();
    bob.stop();
    const r = await run(home, ['--json', 'send', 'bobby', 'are you there?'], (out) => out.includes('"event":"queued"'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^NOT_DELIVERED: The message is stored and waits in the outbox/);
    expect((await run(home, ['--json', 'history', 'bobby'])).lines).toEqual([expect.objectContaining({ text: 'are you there?', state: 'queued' })]);
  });
});

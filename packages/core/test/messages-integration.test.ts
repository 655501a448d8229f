import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { FixtureProcess } from './helpers/child-process';
import { timerLedgerClock } from './helpers/timer-ledger-clock';
import { addContacts, cleanupLinkCores, createProfileDir } from './harness/link-core';
import { fullHistory, type MessageCore, type MessageCoreOptions, shared, startMessageCore } from './harness/message-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Direct messages between real client cores (issue #12, MSG-01..03): real vaults, a real
 * signaling server process, real data channels on 127.0.0.1, driven only through the root's
 * message API and observed through its events and history. Waits are on conditions.
 */
let server: ServerProcess;
const cores: MessageCore[] = [];

async function start(name: string, options: MessageCoreOptions = {}, url = server.url): Promise<MessageCore> {
  const c = await startMessageCore(name, url, options);
  cores.push(c);
  return c;
}

/** Two profiles that list each other (closed: start them when the test wants). */
async function profiles(): Promise<{ alice: { dir: string; userId: string; hex: string }; bob: { dir: string; userId: string; hex: string } }> {
  const alice = await createProfileDir('Alice');
  const bob = await createProfileDir('Bob');
  await addContacts(alice.dir, [bob.userId]);
  await addContacts(bob.dir, [alice.userId]);
  return { alice, bob };
}

async function pair(aliceOptions: MessageCoreOptions = {}, bobOptions: MessageCoreOptions = {}): Promise<[MessageCore, MessageCore]> {
  const p = await profiles();
  const alice = await start('Alice', { ...aliceOptions, dir: p.alice.dir });
  const bob = await start('Bob', { ...bobOptions, dir: p.bob.dir });
  await online(alice, bob);
  return [alice, bob];
}

async function online(a: MessageCore, b: MessageCore): Promise<void> {
  await waitFor(() => a.vault.contacts.presenceOf(b.hex) === 'online' && b.vault.contacts.presenceOf(a.hex) === 'online', 'online to each other');
}

/** Stop a core and start a new ClientCore on the same profile (quit and relaunch). */
async function restart(c: MessageCore, options: MessageCoreOptions = {}, url = server.url): Promise<MessageCore> {
  c.stop();
  return start(c.name, { ...options, dir: c.dir }, url);
}

const texts = (c: MessageCore, peer: MessageCore) => fullHistory(c, peer.hex).map((m) => m.text);

/**
 * Both sides hold the same conversation (ids, authors, texts, edits, deletes, reactions). Each
 * author's messages are in the same order on both sides; how the two authors' messages
 * interleave is each side's arrival order, so they are compared by author and sequence number.
 */
async function converged(a: MessageCore, b: MessageCore, what: string): Promise<void> {
  const view = (c: MessageCore, peer: MessageCore) =>
    JSON.stringify(fullHistory(c, peer.hex).sort((x, y) => x.author.localeCompare(y.author) || x.seq - y.seq).map(shared));
  await waitFor(() => view(a, b) === view(b, a), what);
}

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

describe('direct messages between real cores (MSG-01..03)', () => {
  it('MSG-01: two cores talk both ways; each message arrives once, in order; "delivered" reaches the sender; replies keep their target', async () => {
    const [alice, bob] = await pair();
    const hi = alice.root.sendMessage(bob.hex, 'hi bob');
    expect(hi).toMatchObject({ text: 'hi bob', outgoing: true, author: alice.hex, peer: bob.hex, seq: 1 });
    await waitFor(() => texts(bob, alice).includes('hi bob'), 'bob has alice’s message');
    const reply = bob.root.sendMessage(alice.hex, 'hi alice', { replyTo: hi.id });
    bob.root.sendMessage(alice.hex, 'how are you?');
    await waitFor(() => texts(alice, bob).length === 3, 'alice has both answers');
    expect(texts(alice, bob)).toEqual(['hi bob', 'hi alice', 'how are you?']);
    expect(fullHistory(alice, bob.hex)[1]).toMatchObject({ id: reply.id, replyTo: hi.id, outgoing: false, author: bob.hex });
    await waitFor(() => alice.receipts.some((r) => r.peer === bob.hex && r.state === 'delivered' && r.upToSeq >= 1), 'alice told of delivery');
    await waitFor(() => fullHistory(bob, alice.hex).filter((m) => m.outgoing).every((m) => m.state === 'delivered'), 'bob’s shown delivered');
    expect(fullHistory(alice, bob.hex)[0]!.state).toBe('delivered');
    // Each message event once per side: no duplicates.
    expect(bob.added.filter((m) => m.id === hi.id)).toHaveLength(1);
    expect(alice.added.filter((m) => m.id === reply.id)).toHaveLength(1);
    await converged(alice, bob, 'the same history on both sides');
    expect(alice.root.conversations()).toEqual([expect.objectContaining({ peer: bob.hex, unread: 2, muted: false })]);
    expect(alice.unread.at(-1)).toEqual({ peer: bob.hex, unread: 2 });
    // Logs at every level carry no message text.
    for (const c of [alice, bob]) for (const t of ['hi bob', 'hi alice', 'how are you']) expect(c.logText.join('\n')).not.toContain(t);
    expect(alice.logText.length + bob.logText.length).toBeGreaterThan(0);
  });

  it('MSG-01: a read receipt reaches the sender; with privacy.sendReadReceipts off (read live) none leaves', async () => {
    const [alice, bob] = await pair();
    const first = alice.root.sendMessage(bob.hex, 'one');
    await waitFor(() => texts(bob, alice).includes('one'), 'bob has it');
    bob.root.markRead(alice.hex, first.seq);
    await waitFor(() => alice.receipts.some((r) => r.state === 'read' && r.upToSeq === first.seq), 'alice told it was read');
    expect(fullHistory(alice, bob.hex)[0]!.state).toBe('read');
    expect(bob.root.conversations()[0]).toMatchObject({ unread: 0 });

    bob.vault.settings.set('privacy.sendReadReceipts', false);
    const second = alice.root.sendMessage(bob.hex, 'two');
    await waitFor(() => texts(bob, alice).includes('two'), 'bob has the second');
    bob.root.markRead(alice.hex, second.seq);
    expect(fullHistory(bob, alice.hex)[1]!.state).toBe('read'); // read here…
    // …and nothing told: bob's next message travels after any receipt on the same ordered channel.
    bob.root.sendMessage(alice.hex, 'after reading');
    await waitFor(() => texts(alice, bob).includes('after reading'), 'alice has bob’s later message');
    expect(alice.receipts.filter((r) => r.state === 'read').map((r) => r.upToSeq)).toEqual([first.seq]);
    expect(fullHistory(alice, bob.hex)[1]).toMatchObject({ text: 'two', state: 'delivered' });
  });

  it('MSG-01: typing arrives and expires by itself', async () => {
    const [alice, bob] = await pair({}, { messages: { typingTtlMs: 1_000 } });
    alice.root.sendMessage(bob.hex, 'hello');
    await waitFor(() => texts(bob, alice).includes('hello'), 'linked and resumed');
    alice.root.setTyping(bob.hex, true);
    await waitFor(() => bob.typing.some((t) => t.peer === alice.hex && t.typing), 'bob sees alice typing');
    // Alice says nothing more: it expires on bob's side.
    await waitFor(() => bob.typing.at(-1)?.typing === false, 'typing expired');
    expect(bob.typing.map((t) => t.typing)).toEqual([true, false]);
  });

  it('MSG-03: edits, deletes and reactions converge on both sides, including an edit of a message the peer has not received yet', async () => {
    const p = await profiles();
    const alice = await start('Alice', { dir: p.alice.dir });
    // Bob is not running: everything waits in alice's outbox.
    const a1 = alice.root.sendMessage(p.bob.hex, 'frist');
    const edited = alice.root.editMessage(p.bob.hex, a1.id, 'first');
    expect(edited).toMatchObject({ text: 'first', editedAt: expect.any(Number) });
    const a2 = alice.root.sendMessage(p.bob.hex, 'oops, wrong chat');
    alice.root.deleteMessage(p.bob.hex, a2.id);
    alice.root.toggleReaction(p.bob.hex, a1.id, '👍');
    const bob = await start('Bob', { dir: p.bob.dir });
    await converged(alice, bob, 'the offline edits arrive as edits');
    const bobView = fullHistory(bob, alice.hex);
    expect(bobView.map((m) => [m.text, m.deleted])).toEqual([
      ['first', false],
      ['', true],
    ]);
    expect(bobView[0]!.reactions).toEqual([{ emoji: '👍', by: [alice.hex] }]);

    // Live: bob reacts and replies, alice edits again and takes her reaction back.
    bob.root.toggleReaction(alice.hex, a1.id, '🎸');
    const b1 = bob.root.sendMessage(alice.hex, 'nice', { replyTo: a1.id });
    alice.root.editMessage(bob.hex, a1.id, 'first!');
    alice.root.toggleReaction(bob.hex, a1.id, '👍');
    await waitFor(() => fullHistory(alice, bob.hex).some((m) => m.id === b1.id), 'alice has bob’s reply');
    await converged(alice, bob, 'live changes converge');
    expect(fullHistory(alice, bob.hex)[0]).toMatchObject({ text: 'first!', reactions: [{ emoji: '🎸', by: [bob.hex] }] });
    // Not the author: refused with a code, nothing sent.
    expect(() => bob.root.editMessage(alice.hex, a1.id, 'mine now')).toThrow(expect.objectContaining({ code: 'NOT_YOUR_MESSAGE' }));
    expect(() => alice.root.sendMessage(bob.hex, '   ')).toThrow(expect.objectContaining({ code: 'BAD_MESSAGE_TEXT' }));
  });
});

describe('locking and quitting (MSG-02)', () => {
  it('MSG-02: stop() on a core in the middle of a conversation leaves no timer behind and nothing writes after its vault closed', async () => {
    const clock = timerLedgerClock();
    const [alice, bob] = await pair({ clock, messages: { typingTtlMs: 60_000 } });
    alice.root.sendMessage(bob.hex, 'one');
    bob.root.sendMessage(alice.hex, 'two');
    await waitFor(() => texts(alice, bob).length === 2 && texts(bob, alice).length === 2, 'both have both');
    bob.root.setTyping(alice.hex, true); // a typing expiry timer on alice's side
    await waitFor(() => alice.typing.some((t) => t.typing), 'alice sees bob typing');
    alice.root.sendMessage(bob.hex, 'three'); // a retransmit timer until it is acknowledged (or not)
    alice.root.stop('locked');
    expect(clock.pendingTimers).toBe(0);
    alice.vault.close();
    alice.running = false;
    // Bob goes on writing to a locked alice: it waits in his outbox, alice's closed vault is never touched.
    bob.root.sendMessage(alice.hex, 'four');
    await waitFor(() => bob.vault.contacts.presenceOf(alice.hex) === 'offline', 'bob sees alice leave');
    expect(fullHistory(bob, alice.hex).find((m) => m.text === 'four')?.state).not.toBe('delivered');
    expect(alice.problems).toEqual([]);
    expect(bob.problems).toEqual([]);
  });
});

describe('the outbox across offline peers and restarts (MSG-02)', () => {
  it('MSG-02: messages written while the contact is offline are delivered exactly once, in order, when it comes online (no call needed)', async () => {
    const p = await profiles();
    const alice = await start('Alice', { dir: p.alice.dir });
    const written = Array.from({ length: 5 }, (_, i) => alice.root.sendMessage(p.bob.hex, `offline ${i}`));
    expect(written.every((m) => m.state === 'queued')).toBe(true);
    const bob = await start('Bob', { dir: p.bob.dir });
    await waitFor(() => texts(bob, alice).length === 5, 'bob has the five');
    await waitFor(() => fullHistory(alice, bob.hex).every((m) => m.state === 'delivered'), 'alice sees them delivered');
    expect(texts(bob, alice)).toEqual(written.map((m) => m.text));
    expect(bob.added.map((m) => m.id)).toEqual(written.map((m) => m.id));
  });

  it('MSG-02: restarting either core mid-stream (a new ClientCore on the same profile) loses and duplicates nothing', async () => {
    let [alice, bob] = await pair({ messages: { retransmitMs: 500 } }, { messages: { retransmitMs: 500 } });
    const sentByAlice: string[] = [];
    const sentByBob: string[] = [];
    for (let i = 0; i < 60; i++) {
      sentByAlice.push(alice.root.sendMessage(bob.hex, `a${i}`).id);
      if (i % 3 === 0) sentByBob.push(bob.root.sendMessage(alice.hex, `b${i}`).id);
      if (i === 20) bob = await restart(bob, { messages: { retransmitMs: 500 } });
      if (i === 40) alice = await restart(alice, { messages: { retransmitMs: 500 } });
      if (i % 10 === 5) await waitFor(() => fullHistory(bob, alice.hex).length > 0, 'some traffic'); // let the links work between bursts
    }
    await waitFor(() => fullHistory(bob, alice.hex).filter((m) => !m.outgoing).length === 60, 'bob has all 60', 30_000);
    await waitFor(() => fullHistory(alice, bob.hex).filter((m) => !m.outgoing).length === sentByBob.length, 'alice has all of bob’s', 30_000);
    const atBob = fullHistory(bob, alice.hex).filter((m) => !m.outgoing);
    expect(atBob.map((m) => m.id)).toEqual(sentByAlice);
    expect(atBob.map((m) => m.text)).toEqual(sentByAlice.map((_, i) => `a${i}`));
    expect(fullHistory(alice, bob.hex).filter((m) => !m.outgoing).map((m) => m.id)).toEqual(sentByBob);
    await waitFor(() => [...fullHistory(alice, bob.hex), ...fullHistory(bob, alice.hex)].every((m) => !m.outgoing || m.state === 'delivered'), 'all delivered', 30_000);
    await converged(alice, bob, 'same history');
  }, 90_000);

  it('MSG-02: a peer killed and restarted inside the server’s offline grace (no presence change seen) still gets delivery: its new link replaces the stale one', async () => {
    // A long presence grace: the killed peer stays "online" at the server, alice's link to it stays open (stale).
    const graceServer = await startServerProcess(await freePort(), ['--offline-grace-ms', '60000']);
    const p = await profiles();
    let bob = new FixtureProcess('message-core-peer.ts', [graceServer.url, p.bob.dir, p.alice.hex]);
    try {
      const alice = await start('Alice', { dir: p.alice.dir }, graceServer.url);
      await waitFor(() => alice.vault.contacts.presenceOf(p.bob.hex) === 'online', 'alice sees bob');
      alice.root.sendMessage(p.bob.hex, 'before');
      await bob.waitFor((lines) => lines.some((l) => l.includes('"text":"before"')));
      const seenBefore = alice.presence.length;
      const staleLink = alice.links.info(p.bob.hex)?.linkId;
      await bob.kill();
      // Written into the stale link: lost on the wire, still in alice's outbox.
      alice.root.sendMessage(p.bob.hex, 'during');
      expect(alice.links.info(p.bob.hex)).toMatchObject({ linkId: staleLink, state: 'open' });
      expect(alice.presence.slice(seenBefore).filter((e) => e.peer === p.bob.hex)).toEqual([]); // alice did not see bob leave
      expect(alice.vault.contacts.presenceOf(p.bob.hex)).toBe('online');
      bob = new FixtureProcess('message-core-peer.ts', [graceServer.url, p.bob.dir, p.alice.hex, 'back']);
      await bob.waitFor((lines) => lines.some((l) => l.includes('"text":"during"')));
      await waitFor(() => texts(alice, { hex: p.bob.hex } as MessageCore).includes('back'), 'alice has bob’s message');
      expect(alice.links.info(p.bob.hex)?.linkId).not.toBe(staleLink);
      const atBob = bob.lines.filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { added: { text: string; outgoing: boolean } }).added);
      expect(atBob.filter((m) => !m.outgoing).map((m) => m.text)).toEqual(['during']); // once, and 'before' not again
      await waitFor(() => fullHistory(alice, p.bob.hex).every((m) => !m.outgoing || m.state === 'delivered'), 'alice sees both delivered');
    } finally {
      await bob.kill();
      for (const c of cores.splice(0)) c.stop();
      await graceServer.kill();
    }
  }, 60_000);
});

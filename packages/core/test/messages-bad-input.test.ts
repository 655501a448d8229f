import { bytesToBase64url, hexToBytes } from '@discordopus/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationFrame } from '../src/links/link-events';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { addContacts, cleanupLinkCores, createProfileDir } from './harness/link-core';
import { fullHistory, type MessageCore, shared, startMessageCore } from './harness/message-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Bad input over a real link (MSG-01..03, PROTOCOL.md §7.5): a real core "Bob" whose link
 * manager is made to send frames an honest core never sends — malformed, over the text limit,
 * out of sequence, with a forged author, an edit of someone else's message, acks and receipts
 * beyond the end. The receiving real core refuses and counts each one; the conversation goes on.
 */
let server: ServerProcess;
const cores: MessageCore[] = [];

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

const texts = (c: MessageCore, peer: MessageCore) => fullHistory(c, peer.hex).map((m) => m.text);

describe('bad message frames over a real link (MSG-01..03)', () => {
  it('MSG-02: malformed, oversized, out-of-sequence, forged-author, not-the-author and beyond-the-end frames are refused and counted; the link and the conversation go on', async () => {
    const pa = await createProfileDir('Alice');
    const pb = await createProfileDir('Bob');
    await addContacts(pa.dir, [pb.userId]);
    await addContacts(pb.dir, [pa.userId]);
    const alice = await startMessageCore('Alice', server.url, { dir: pa.dir });
    const bob = await startMessageCore('Bob', server.url, { dir: pb.dir });
    cores.push(alice, bob);
    await waitFor(() => alice.vault.contacts.presenceOf(bob.hex) === 'online' && bob.vault.contacts.presenceOf(alice.hex) === 'online', 'online');
    const a1 = alice.root.sendMessage(bob.hex, 'hello bob');
    bob.root.sendMessage(alice.hex, 'hello alice');
    await waitFor(() => texts(alice, bob).length === 2 && texts(bob, alice).length === 2, 'both have both');
    const linkId = alice.links.info(bob.hex)?.linkId;
    const droppedBefore = alice.links.stats().droppedFrames;

    const bobWire = bytesToBase64url(hexToBytes(bob.hex));
    const mallory = bytesToBase64url(new Uint8Array(32).fill(5));
    const next = bob.vault.messages.syncPoints(alice.hex).ownSeq + 1;
    const send = (over: object) =>
      ({ type: 'message.send', seq: next, author: bobWire, id: 'QUJDREVGR0hJSktMTU5PUA', sentAt: 1, text: 'x', replyTo: null, editedAt: null, deleted: false, ...over }) as unknown as ApplicationFrame;
    const inject = (frame: ApplicationFrame) => expect(bob.links.send(alice.hex, frame)).toBe(true);
    // Refused by the link's frame guard (schema): never reach the message service.
    inject(send({ seq: 0, id: 'short' }));
    inject(send({ text: 'y'.repeat(4001) }));
    // Well-formed, refused by the message service.
    inject(send({ seq: next + 5 }));
    inject(send({ author: mallory }));
    inject({ type: 'message.ack', upTo: 999 } as ApplicationFrame);
    inject({ type: 'receipt.read', upTo: 999 } as ApplicationFrame);
    await waitFor(() => {
      const r = alice.root.messageRefusals();
      return r['out-of-sequence'] === 1 && r['forged-author'] === 1 && r['ack-beyond'] === 1 && r['receipt-beyond'] === 1;
    }, 'the four refusals counted');
    await waitFor(() => alice.links.stats().droppedFrames >= droppedBefore + 2, 'the two malformed frames dropped by the link');
    expect(texts(alice, bob)).toEqual(['hello bob', 'hello alice']);
    expect(fullHistory(alice, bob.hex)[0]!.state).toBe('delivered'); // not "read" by a receipt beyond the end

    // The same link carries on, both ways.
    alice.root.sendMessage(bob.hex, 'still here?');
    bob.root.sendMessage(alice.hex, 'yes');
    await waitFor(() => texts(alice, bob).includes('yes') && texts(bob, alice).includes('still here?'), 'the conversation goes on');
    expect(alice.links.info(bob.hex)?.linkId).toBe(linkId);
    await waitFor(
      () => JSON.stringify(fullHistory(alice, bob.hex).filter((m) => !m.outgoing).map(shared)) === JSON.stringify(fullHistory(bob, alice.hex).filter((m) => m.outgoing).map(shared)),
      'bob’s messages the same on both sides',
    );

    // Last: an in-sequence edit of alice's own message signed as bob. Its number is used up, the edit refused.
    const seq = bob.vault.messages.syncPoints(alice.hex).ownSeq + 1;
    inject({ type: 'message.edit', seq, author: bobWire, id: a1.id, text: 'pwned', editedAt: 9 } as ApplicationFrame);
    await waitFor(() => alice.root.messageRefusals()['not-author'] === 1, 'the edit refused');
    expect(fullHistory(alice, bob.hex)[0]).toMatchObject({ id: a1.id, text: 'hello bob', editedAt: null });
    expect(alice.problems).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { NdcFileChannel } from './ndc-file-channel';
import { connectSides, type FileSide, twoSides, writesFailingAfter } from './file-peers.test-helper';

function sourceFile(side: FileSide, name: string, bytes: Buffer): string {
  const path = join(side.root, 'outgoing', name);
  writeFileSync(path, bytes);
  return path;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

describe('limits and failures (FILE-01, FILE-03)', () => {
  it('FILE-03: a file over the receiver’s size limit is refused on arrival: TOO_LARGE on both sides, nothing written', async () => {
    const { alice, bob } = twoSides({ bob: { maxReceiveBytes: 1000 } });
    await connectSides(alice, bob);
    const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'big', randomBytes(2000)) });
    await waitFor(() => alice.stateOf(offer.id) === 'failed', 'alice learns it was refused');
    expect(bob.service.get(offer.id)).toMatchObject({ state: 'failed', failure: { code: 'TOO_LARGE' } });
    expect(alice.service.get(offer.id)!.failure).toMatchObject({ code: 'TOO_LARGE' });
    expect(bob.events.offerReceived[0]).toMatchObject({ autoAccepted: false, transfer: { state: 'failed' } });
    expect(existsSync(bob.downloads)).toBe(false);
  });

  it('FILE-03: a downloads folder that cannot be made or written gives NOT_WRITABLE and the offer stays open', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'a.txt', Buffer.from('hello')) });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    const blocker = join(bob.root, 'not-a-folder');
    writeFileSync(blocker, 'x');
    expect(() => bob.service.accept(offer.id, join(blocker, 'Downloads'))).toThrow(expect.objectContaining({ code: 'NOT_WRITABLE', message: expect.stringContaining('cannot be written') }));
    expect(bob.stateOf(offer.id)).toBe('offered');
    // Another folder works.
    bob.service.accept(offer.id);
    await waitFor(() => bob.stateOf(offer.id) === 'complete', 'completes in the default folder');
  });

  it('FILE-03: the disk filling up mid-transfer fails with DISK_FULL on both sides and removes the partial file', async () => {
    const { alice, bob } = twoSides({ bob: { tunables: writesFailingAfter(512 * 1024, { code: 'ENOSPC', message: 'ENOSPC: no space left on device' }) } });
    await connectSides(alice, bob);
    const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'fill.bin', randomBytes(4 * 1024 * 1024)) });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    bob.service.accept(offer.id);
    await waitFor(() => bob.stateOf(offer.id) === 'failed' && alice.stateOf(offer.id) === 'failed', 'both fail');
    expect(bob.service.get(offer.id)!.failure).toMatchObject({ code: 'DISK_FULL', message: 'The disk is full; the partial file was removed.' });
    expect(alice.service.get(offer.id)!.failure).toMatchObject({ code: 'DISK_FULL' });
    expect(readdirSync(bob.downloads)).toEqual([]);
  });

  it('FILE-02: a source file changed after the offer is not sent mixed: SOURCE_CHANGED on both sides', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const path = sourceFile(alice, 'doc.txt', Buffer.from('version 1'));
    const offer = await alice.service.offerFile({ peer: bob.hex, path });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    appendFileSync(path, ' and more');
    bob.service.accept(offer.id);
    await waitFor(() => bob.stateOf(offer.id) === 'failed' && alice.stateOf(offer.id) === 'failed', 'both fail');
    expect(bob.service.get(offer.id)!.failure).toMatchObject({ code: 'SOURCE_CHANGED' });
    expect(alice.events.stateChanged.at(-1)).toMatchObject({ state: 'failed', by: 'local', failure: { code: 'SOURCE_CHANGED' } });
    expect(readdirSync(bob.downloads)).toEqual([]);
  });

  it('FILE-01: offers from a verified contact up to the auto-accept size are taken without asking; larger ones wait', async () => {
    const { alice, bob } = twoSides({ bob: { isVerified: () => true, autoAcceptVerifiedMaxBytes: 64 * 1024 } });
    await connectSides(alice, bob);
    const small = randomBytes(64 * 1024);
    const a = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'small.bin', small) });
    const b = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'large.bin', randomBytes(64 * 1024 + 1)) });
    await waitFor(() => bob.stateOf(a.id) === 'complete' && bob.stateOf(b.id) === 'offered', 'small taken, large waiting');
    expect(readFileSync(join(bob.downloads, 'small.bin')).equals(small)).toBe(true);
    expect(bob.events.offerReceived.map((e) => [e.transfer.name, e.autoAccepted])).toEqual([['small.bin', true], ['large.bin', false]]);
  });

  it('FILE-03: the caption and the sender’s image preview arrive with the offer and stay in the vault', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'cat.png', PNG), mime: 'image/png', caption: 'my cat', preview: { mime: 'image/png', bytes: PNG } });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    bob.stop();
    bob.start();
    const record = bob.service.get(offer.id)!;
    expect(record).toMatchObject({ name: 'cat.png', mime: 'image/png', caption: 'my cat', size: PNG.length });
    expect(Buffer.from(record.preview!.bytes).equals(PNG)).toBe(true);
    expect(record.preview!.mime).toBe('image/png');
    // A "preview" that is not an image is refused at the sender, before anything is stored or sent.
    await expect(alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'x', PNG), preview: { mime: 'image/png', bytes: Buffer.from('<svg onload=alert(1)>') } })).rejects.toMatchObject({ code: 'BAD_OFFER' });
    expect(alice.service.list().length).toBe(1);
  });

  it('FILE-01: bad control frames and strangers’ channels are refused with a reason, never a crash', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    expect(bob.service.handleControl(alice.hex, '{"type":"file.offer"')).toEqual({ ok: false, problem: 'malformed' });
    expect(bob.service.handleControl(alice.hex, { type: 'file.explode' })).toEqual({ ok: false, problem: 'unknown-type' });
    expect(bob.service.handleControl(alice.hex, 'x'.repeat(70_000))).toEqual({ ok: false, problem: 'oversized' });
    const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'a', Buffer.from('a')) });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    // A cancel for that transfer from someone else is not theirs to send.
    const mallory = randomBytes(32).toString('hex');
    expect(bob.service.handleControl(mallory, { type: 'file.cancel', id: offer.id })).toEqual({ ok: false, problem: 'unknown-transfer' });
    expect(bob.stateOf(offer.id)).toBe('offered');
    // A channel for a transfer that is not the opener's, or for no transfer, is closed at once.
    for (const [from, id] of [[mallory, offer.id], [bob.hex, randomBytes(16).toString('base64url')]] as const) {
      const channel = new NdcFileChannel(bob.pc!.createDataChannel(`dopus-file:${id}`));
      let closed = false;
      channel.onClosed(() => (closed = true));
      alice.service.handleIncomingChannel(from, channel);
      expect(closed).toBe(true);
    }
    expect(alice.stateOf(offer.id)).toBe('offered');
  });
});

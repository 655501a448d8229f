import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFileFrame, FILE_LIMITS, fileChannelLabel, parseFileFrame } from '@discordopus/protocol/files';
import { waitFor } from '@discordopus/test-support';
import { connectSides, twoSides } from './file-peers.test-helper';
import { openNdcFileChannel } from './ndc-file-channel';

const CHUNK = 16 * 1024;
const WINDOW = FILE_LIMITS.minWindowBytes; // 64 KiB: four chunks

describe('credit flow on a transfer channel (FILE-01: chat stays responsive while a file flows)', () => {
  it('FILE-01: the sender keeps at most the receiver’s window beyond its last file.ack in flight, and goes on as acks come', async () => {
    // Alice is the real engine; bob is a test peer speaking the channel protocol by hand.
    const { alice, bob } = twoSides({ alice: { tunables: { chunkBytes: CHUNK, highWaterBytes: 1024 * 1024, lowWaterBytes: 256 * 1024, receiveWindowBytes: WINDOW } } });
    await connectSides(alice, bob);
    const path = join(alice.root, 'outgoing', 'flow.bin');
    writeFileSync(path, randomBytes(1024 * 1024));
    const offer = await alice.service.offerFile({ peer: bob.hex, path });

    const channel = await openNdcFileChannel(bob.pc!, fileChannelLabel(offer.id), { timeoutMs: 10_000 });
    let received = 0;
    const frames: string[] = [];
    channel.onMessage((data) => {
      if (typeof data === 'string') frames.push(data);
      else received += data.byteLength;
    });
    channel.onClosed(() => {});
    channel.send(encodeFileFrame({ type: 'file.accept', id: offer.id, offset: 0, window: WINDOW }));

    // Without the window the sender would hand the channel up to its 1 MiB high-water mark at once.
    await waitFor(() => received >= WINDOW, 'the first window');
    channel.send(encodeFileFrame({ type: 'file.ack', id: offer.id, bytes: 2 * CHUNK }));
    await waitFor(() => received >= WINDOW + 2 * CHUNK, 'two more chunks after the ack');

    // A barrier: an ack beyond what was sent is a protocol error, answered on the same ordered
    // channel after every chunk the sender handed out before it read that ack.
    channel.send(encodeFileFrame({ type: 'file.ack', id: offer.id, bytes: 1024 * 1024 }));
    await waitFor(() => frames.length > 0, 'the sender’s answer to a bad ack');
    expect(parseFileFrame(frames[0])).toMatchObject({ ok: true, frame: { type: 'file.error', code: 'PROTOCOL' } });
    expect(received).toBe(WINDOW + 2 * CHUNK);
    await waitFor(() => alice.stateOf(offer.id) === 'failed', 'the transfer failed at alice');
  });

  it('FILE-01: a receiver that announces no window is served as before (buffer marks only)', async () => {
    const { alice, bob } = twoSides({ alice: { tunables: { chunkBytes: CHUNK, highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, receiveWindowBytes: WINDOW } } });
    await connectSides(alice, bob);
    const path = join(alice.root, 'outgoing', 'old.bin');
    const size = 512 * 1024;
    writeFileSync(path, randomBytes(size));
    const offer = await alice.service.offerFile({ peer: bob.hex, path });
    const channel = await openNdcFileChannel(bob.pc!, fileChannelLabel(offer.id), { timeoutMs: 10_000 });
    let received = 0;
    channel.onMessage((data) => {
      if (typeof data !== 'string') received += data.byteLength;
    });
    channel.onClosed(() => {});
    channel.send(encodeFileFrame({ type: 'file.accept', id: offer.id, offset: 0 }));
    await waitFor(() => received === size, 'the whole file without a single ack');
  });
});

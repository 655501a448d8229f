import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { FileTransferError } from './file-transfer-error';
import { openLoopbackPairWithRetry } from './loopback-pair.test-helper';
import { NdcFileChannel } from './ndc-file-channel';

describe('NdcFileChannel (FILE-02)', () => {
  it('FILE-02: a send after the engine closed the channel, before its onClosed reached JavaScript, is CHANNEL_CLOSED (the transfer resumes), not a failure', async () => {
    const pair = await openLoopbackPairWithRetry('ndc-file-channel', { a: (dc) => dc.onClosed(() => {}), b: (dc) => dc.onClosed(() => {}) });
    onTestFinished(() => pair.close());
    const raw = pair.b.createDataChannel('dopus-file:AAAAAAAAAAAAAAAAAAAAAA');
    const channel = new NdcFileChannel(raw);
    await channel.whenOpen(10_000);
    let closedSeen = false;
    channel.onClosed(() => (closedSeen = true));
    // The native channel closes now; its onClosed comes to this thread on a later turn.
    raw.close();
    expect(closedSeen).toBe(false);
    let thrown: unknown = null;
    try {
      channel.send(new Uint8Array(1024));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FileTransferError);
    expect((thrown as FileTransferError).code).toBe('CHANNEL_CLOSED');
    await waitFor(() => closedSeen, 'onClosed arrives');
  });
});

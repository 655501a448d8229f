import type { DataChannel } from 'node-datachannel';
import { describe, expect, it } from 'vitest';
import { FileTransferError } from './file-transfer-error';
import { NdcFileChannel } from './ndc-file-channel';

/**
 * Failure injection for a race seen in CI (FILE-02): the peer quits, libdatachannel closes the
 * channel on its own thread and throws from `sendMessageBinary` before `onClosed` has reached
 * JavaScript. That must read as "channel closed" (the transfer is interrupted and resumes), not as
 * an internal error that fails the transfer for good.
 */
function engineChannel(): { dc: DataChannel; closeOnEngineThread(): void } {
  let open = true;
  const dc = {
    getLabel: () => 'dopus-file:AAAAAAAAAAAAAAAAAAAAAA',
    onMessage: () => {},
    onBufferedAmountLow: () => {},
    onError: () => {},
    onClosed: () => {}, // the engine's close is not reported yet
    onOpen: () => {},
    isOpen: () => open,
    sendMessage: () => {
      if (!open) throw new Error('DataChannel is closed');
      return true;
    },
    sendMessageBinary: () => {
      if (!open) throw new Error('DataChannel is closed');
      return true;
    },
    bufferedAmount: () => {
      if (!open) throw new Error('DataChannel is closed');
      return 0;
    },
    setBufferedAmountLowThreshold: () => {},
    close: () => {
      open = false;
    },
  } as unknown as DataChannel;
  return { dc, closeOnEngineThread: () => (open = false) };
}

describe('NdcFileChannel when the engine closed the channel first (FILE-02)', () => {
  it('FILE-02: a send the engine refuses throws CHANNEL_CLOSED and reports the channel closed once', () => {
    const { dc, closeOnEngineThread } = engineChannel();
    const channel = new NdcFileChannel(dc);
    let closed = 0;
    channel.onClosed(() => closed++);
    expect(channel.send(new Uint8Array(4))).toBe(true);
    closeOnEngineThread();
    let thrown: unknown;
    try {
      channel.send(new Uint8Array(4));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FileTransferError);
    expect((thrown as FileTransferError).code).toBe('CHANNEL_CLOSED');
    expect(closed).toBe(1);
    expect(channel.isOpen()).toBe(false);
    expect(channel.bufferedAmount()).toBe(0);
    expect(() => channel.send('{}')).toThrow(FileTransferError);
    expect(closed).toBe(1);
  });

  it('FILE-02: bufferedAmount from a channel the engine already closed reads 0 instead of throwing', () => {
    const { dc, closeOnEngineThread } = engineChannel();
    const channel = new NdcFileChannel(dc);
    closeOnEngineThread();
    expect(channel.bufferedAmount()).toBe(0);
  });
});

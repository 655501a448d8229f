import type { DataChannel, PeerConnection } from 'node-datachannel';
import type { FileChannel, FileChannelMessage } from './file-channel';
import { FileTransferError } from './file-transfer-error';

/**
 * A `FileChannel` over a node-datachannel DataChannel. Every engine callback is registered at
 * once (an unregistered `onClosed` keeps Node alive, ARCHITECTURE "process hygiene"); messages
 * that arrive before the engine listens are held, in order, and handed over when it does.
 */
export class NdcFileChannel implements FileChannel {
  readonly label: string;
  readonly #dc: DataChannel;
  #closed = false;
  #onMessage: ((data: FileChannelMessage) => void) | null = null;
  #held: FileChannelMessage[] = [];
  #onClosed: (() => void) | null = null;
  #onLow: (() => void) | null = null;

  /**
   * `onError` gets what a callback threw: an exception must never reach the engine's native
   * callback (it aborts the process). By default it is rethrown on a later turn, where Node
   * reports it like any uncaught error.
   */
  constructor(dc: DataChannel, onError: (err: unknown) => void = (err) => setImmediate(() => { throw err; })) {
    this.#dc = dc;
    this.label = dc.getLabel();
    const guard =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        try {
          fn(...args);
        } catch (err) {
          onError(err);
        }
      };
    dc.onMessage(guard((msg) => {
      const data: FileChannelMessage = typeof msg === 'string' ? msg : msg instanceof ArrayBuffer ? new Uint8Array(msg) : new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
      if (this.#onMessage) this.#onMessage(data);
      else this.#held.push(data);
    }));
    dc.onBufferedAmountLow(guard(() => this.#onLow?.()));
    dc.onError(guard(() => this.#markClosed()));
    dc.onClosed(guard(() => this.#markClosed()));
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClosed?.();
  }

  send(data: FileChannelMessage): boolean {
    if (this.#closed) throw FileTransferError.channelClosed();
    return typeof data === 'string' ? this.#dc.sendMessage(data) : this.#dc.sendMessageBinary(data);
  }

  bufferedAmount(): number {
    return this.#closed ? 0 : this.#dc.bufferedAmount();
  }

  setBufferedAmountLowThreshold(bytes: number): void {
    this.#dc.setBufferedAmountLowThreshold(bytes);
  }

  onBufferedAmountLow(cb: () => void): void {
    this.#onLow = cb;
  }

  onMessage(cb: (data: FileChannelMessage) => void): void {
    this.#onMessage = cb;
    const held = this.#held.splice(0);
    for (const data of held) cb(data);
  }

  onClosed(cb: () => void): void {
    this.#onClosed = cb;
    if (this.#closed) queueMicrotask(cb);
  }

  isOpen(): boolean {
    return !this.#closed && this.#dc.isOpen();
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.#dc.close();
    } finally {
      this.#markClosed();
    }
  }
}

/** Create a channel on `pc` and resolve once it is open (rejects if it closes first or takes over `timeoutMs`). */
export function openNdcFileChannel(pc: PeerConnection, label: string, options: { timeoutMs?: number; onError?: (err: unknown) => void } = {}): Promise<FileChannel> {
  const { timeoutMs = 15_000, onError } = options;
  const dc = pc.createDataChannel(label);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(), timeoutMs);
    const fail = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        dc.close();
      } catch {
        // already closed
      }
      reject(FileTransferError.channelFailed());
    };
    dc.onClosed(fail);
    dc.onError(fail);
    dc.onOpen(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(new NdcFileChannel(dc, onError));
    });
  });
}

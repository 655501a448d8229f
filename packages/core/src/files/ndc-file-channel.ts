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
  #open = false;
  #openWaiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

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
    dc.onOpen(guard(() => this.#markOpen()));
    // The engine opens a channel on its own thread: an open that happened before onOpen was
    // registered is never reported, so look once.
    if (dc.isOpen()) this.#markOpen();
  }

  #markOpen(): void {
    if (this.#open || this.#closed) return;
    this.#open = true;
    for (const w of this.#openWaiters.splice(0)) w.resolve();
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#openWaiters.splice(0)) w.reject(FileTransferError.channelFailed());
    this.#onClosed?.();
  }

  /** Resolves once the channel is open; rejects (CHANNEL_FAILED) if it closes first or takes over `timeoutMs` (then it is closed). */
  whenOpen(timeoutMs: number): Promise<void> {
    if (this.#open) return Promise.resolve();
    if (this.#closed) return Promise.reject(FileTransferError.channelFailed());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.close(), timeoutMs);
      this.#openWaiters.push({
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
  }

  send(data: FileChannelMessage): boolean {
    if (this.#closed) throw FileTransferError.channelClosed();
    try {
      return typeof data === 'string' ? this.#dc.sendMessage(data) : this.#dc.sendMessageBinary(data);
    } catch (err) {
      // The engine closed it (the peer went away) and its onClosed is still on its way to this
      // thread: that is a closed channel (the transfer resumes), not a failure of the transfer.
      if (!this.#dc.isOpen()) throw FileTransferError.channelClosed();
      throw err;
    }
  }

  bufferedAmount(): number {
    if (this.#closed) return 0;
    try {
      return this.#dc.bufferedAmount();
    } catch {
      return 0; // the engine let go of it: its close is on the way
    }
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

/**
 * Create a channel on `pc` and resolve once it is open. The wrapper (and so every callback, and
 * the hold on early messages) is in place before the engine can open it.
 */
export async function openNdcFileChannel(pc: PeerConnection, label: string, options: { timeoutMs?: number; onError?: (err: unknown) => void } = {}): Promise<FileChannel> {
  const channel = new NdcFileChannel(pc.createDataChannel(label), options.onError);
  await channel.whenOpen(options.timeoutMs ?? 15_000);
  return channel;
}

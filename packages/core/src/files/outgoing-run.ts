import { openSync, readSync, statSync } from 'node:fs';
import { encodeFileFrame, type FileErrorCode, type FileFrame, parseFileFrame } from '@discordopus/protocol/files';
import type { FileChannel, FileChannelMessage } from './file-channel';
import { FileTransferError } from './file-transfer-error';
import type { FileTransferRecord } from './file-store';
import { closeQuietly, type FileTunables } from './transfer-tunables';

export interface OutgoingRunHooks {
  /** The receiver asked for the bytes from `offset` on (its accept). */
  started(offset: number): void;
  /** Bytes that have left the buffer (sent minus buffered). */
  sent(bytes: number): void;
  /** The receiver has this many bytes durably. */
  confirmed(bytes: number): void;
  completed(): void;
  failed(error: { code: string; message: string }, byPeer: boolean): void;
  cancelledByPeer(): void;
  /** The channel closed before the end: the receiver will ask again from where it is. */
  interrupted(): void;
}

/**
 * The sender's side of one transfer on its own channel (FILE-01, FILE-02): waits for the
 * receiver's `file.accept{offset}`, checks the source is the file that was offered (size and
 * mtime), then streams it from the offset in chunks, handing the channel more only while its
 * buffer is below the high-water mark (back-pressure), until the receiver's `file.complete`.
 */
export class OutgoingRun {
  readonly #record: FileTransferRecord;
  readonly #channel: FileChannel;
  readonly #hooks: OutgoingRunHooks;
  readonly #tunables: FileTunables;
  #fd: number | null = null;
  /** One read buffer for the whole run: `FileChannel.send` copies the bytes before it returns. */
  #readBuffer: Buffer | null = null;
  #position = 0;
  /** Credit flow: the receiver's window (null: it announced none) and how far it has acked. */
  #window: number | null = null;
  #acked = 0;
  #started = false;
  #ended = false;
  #pumping = false;

  constructor(record: FileTransferRecord, channel: FileChannel, hooks: OutgoingRunHooks, tunables: FileTunables) {
    this.#record = record;
    this.#channel = channel;
    this.#hooks = hooks;
    this.#tunables = tunables;
    channel.onClosed(() => this.#end(() => hooks.interrupted()));
    channel.onBufferedAmountLow(() => this.#pump());
    channel.setBufferedAmountLowThreshold(tunables.lowWaterBytes);
    channel.onMessage((data) => this.#onMessage(data));
  }

  get ended(): boolean {
    return this.#ended;
  }

  #onMessage(data: FileChannelMessage): void {
    if (this.#ended) return;
    if (typeof data !== 'string') return this.#protocolError('the receiver sent file data.');
    const parsed = parseFileFrame(data);
    if (!parsed.ok) return this.#protocolError(`a bad frame (${parsed.problem}).`);
    const frame = parsed.frame;
    if (frame.id !== this.#record.id) return this.#protocolError('a frame for another transfer on this channel.');
    switch (frame.type) {
      case 'file.accept':
        return this.#start(frame.offset, frame.window ?? null);
      case 'file.ack':
        if (!this.#started || frame.bytes > this.#position) return this.#protocolError('an ack beyond the bytes sent.');
        if (frame.bytes > this.#acked) this.#acked = frame.bytes;
        return this.#pump();
      case 'file.progress':
        if (frame.bytes > this.#record.size) return this.#protocolError('progress beyond the file’s size.');
        return this.#hooks.confirmed(frame.bytes);
      case 'file.complete':
        if (frame.sha256 !== this.#record.sha256) return this.#protocolError('completion with another hash.');
        return this.#end(() => this.#hooks.completed(), true);
      case 'file.error':
        return this.#end(() => this.#hooks.failed({ code: frame.code, message: frame.message }, true), true);
      case 'file.cancel':
        return this.#end(() => this.#hooks.cancelledByPeer(), true);
      case 'file.offer':
      case 'file.decline':
        return this.#protocolError(`${frame.type} does not belong on a transfer channel.`);
      default: {
        const never: never = frame;
        return never;
      }
    }
  }

  #start(offset: number, window: number | null): void {
    if (this.#started) return this.#protocolError('a second accept on one channel.');
    this.#started = true;
    if (offset > this.#record.size) return this.#fail('BAD_OFFSET', `The receiver asked from byte ${offset} of a ${this.#record.size}-byte file.`);
    try {
      const stat = statSync(this.#record.sourcePath!);
      if (stat.size !== this.#record.size || Math.floor(stat.mtimeMs) !== this.#record.sourceMtimeMs) {
        const e = FileTransferError.sourceChanged();
        return this.#fail(e.code as FileErrorCode, e.message);
      }
      this.#fd = openSync(this.#record.sourcePath!, 'r');
    } catch {
      const e = FileTransferError.sourceMissing();
      return this.#fail('SOURCE_MISSING', e.message);
    }
    this.#position = offset;
    this.#acked = offset;
    this.#window = window;
    this.#hooks.started(offset);
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping || this.#ended || !this.#started || this.#fd === null) return;
    this.#pumping = true;
    try {
      const { chunkBytes, highWaterBytes } = this.#tunables;
      while (!this.#ended && this.#position < this.#record.size && this.#channel.bufferedAmount() < highWaterBytes && this.#hasCredit()) {
        const want = Math.min(chunkBytes, this.#record.size - this.#position);
        this.#readBuffer ??= Buffer.allocUnsafe(chunkBytes);
        const chunk = this.#readBuffer.subarray(0, want);
        const got = readSync(this.#fd, chunk, 0, want, this.#position);
        if (got !== want) {
          const e = FileTransferError.sourceChanged();
          return this.#fail('SOURCE_CHANGED', e.message);
        }
        this.#channel.send(chunk);
        this.#position += got;
      }
      this.#hooks.sent(this.#position - this.#channel.bufferedAmount());
      if (this.#position >= this.#record.size) this.#closeSource();
    } catch (err) {
      if (this.#ended) return;
      if (err instanceof FileTransferError && err.code === 'CHANNEL_CLOSED') return this.#end(() => this.#hooks.interrupted());
      this.#fail('INTERNAL', 'The file could not be read or sent.');
    } finally {
      this.#pumping = false;
    }
  }

  #hasCredit(): boolean {
    return this.#window === null || this.#position - this.#acked < this.#window;
  }

  #closeSource(): void {
    closeQuietly(this.#fd);
    this.#fd = null;
    this.#readBuffer = null;
  }

  #send(frame: FileFrame): void {
    try {
      if (this.#channel.isOpen()) this.#channel.send(encodeFileFrame(frame));
    } catch {
      // the channel went away: the peer learns through the control path or its own timeout
    }
  }

  #protocolError(problem: string): void {
    const e = FileTransferError.protocol(problem);
    this.#fail('PROTOCOL', e.message);
  }

  #fail(code: FileErrorCode, message: string): void {
    this.#send({ type: 'file.error', id: this.#record.id, code, message });
    this.#end(() => this.#hooks.failed({ code, message }, false), true);
  }

  /** Stop for good (`cancel` tells the receiver) or just let go of the channel (shutdown). */
  stop(how: 'cancel' | 'shutdown'): void {
    if (this.#ended) return;
    if (how === 'cancel') this.#send({ type: 'file.cancel', id: this.#record.id });
    this.#end(() => {}, true);
  }

  #end(report: () => void, closeChannel = false): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#closeSource();
    if (closeChannel) this.#channel.close();
    report();
  }
}

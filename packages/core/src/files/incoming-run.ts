import { createHash, type Hash } from 'node:crypto';
import { constants, fsync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeFileFrame, type FileErrorCode, type FileFrame, parseFileFrame } from '@discordopus/protocol/files';
import { fsyncDir } from '../vault/durable-fs';
import { claimUniqueName, partialPathOf } from './download-folder';
import type { FileChannel, FileChannelMessage } from './file-channel';
import { FileTransferError } from './file-transfer-error';
import type { FileTransferRecord } from './file-store';
import { closeQuietly, type FileTunables } from './transfer-tunables';

export interface IncomingRunHooks {
  /** Bytes written to the partial file (not yet necessarily durable). */
  received(bytes: number): void;
  /** The partial file is fsynced up to `bytes`: record it (FILE-02). */
  checkpoint(bytes: number): void;
  completed(finalPath: string): void;
  failed(error: { code: string; message: string }, byPeer: boolean): void;
  cancelledByPeer(): void;
  interrupted(bytes: number): void;
}

const READ_BYTES = 1024 * 1024;

/**
 * The receiver's side of one transfer on its own channel (FILE-01..03). Opens (or reopens) the
 * partial file, cuts it to the length known to be durable, re-hashes that prefix, asks for the
 * rest with `file.accept{offset}`, writes chunks in order while hashing them, fsyncs and
 * records its length every checkpoint, and at the end compares the SHA-256 with the offer's:
 * a match is renamed into place under a unique safe name, a mismatch is deleted.
 */
export class IncomingRun {
  readonly #record: FileTransferRecord;
  readonly #channel: FileChannel;
  readonly #hooks: IncomingRunHooks;
  readonly #tunables: FileTunables;
  readonly #partial: string;
  #fd: number | null = null;
  #hash: Hash | null = null;
  #position = 0;
  #lastCheckpoint = 0;
  #lastAck = 0;
  #ended = false;
  /** An fsync of the partial file runs in the thread pool (not on the event loop, where chat is). */
  #syncing = false;
  #finishWaiting = false;

  constructor(record: FileTransferRecord, channel: FileChannel, hooks: IncomingRunHooks, tunables: FileTunables) {
    this.#record = record;
    this.#channel = channel;
    this.#hooks = hooks;
    this.#tunables = tunables;
    this.#partial = partialPathOf(record.dir!, record.id);
    channel.onClosed(() => this.#end(() => hooks.interrupted(this.#lastCheckpoint)));
    channel.onMessage((data) => this.#onMessage(data));
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Open the partial file at its durable length and ask for the rest. */
  start(): void {
    const offset = Math.min(this.#record.bytesDone, this.#record.size);
    try {
      this.#fd = openSync(this.#partial, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
      ftruncateSync(this.#fd, offset);
      this.#hash = createHash('sha256');
      const buf = Buffer.allocUnsafe(READ_BYTES);
      for (let at = 0; at < offset; ) {
        const got = readSync(this.#fd, buf, 0, Math.min(READ_BYTES, offset - at), at);
        if (got <= 0) throw new Error('the partial file is shorter than recorded');
        this.#hash.update(buf.subarray(0, got));
        at += got;
      }
    } catch (err) {
      return this.#localFailure(err);
    }
    this.#position = offset;
    this.#lastCheckpoint = offset;
    this.#lastAck = offset;
    this.#send({ type: 'file.accept', id: this.#record.id, offset, window: this.#tunables.receiveWindowBytes });
    if (offset === this.#record.size) this.#finish();
  }

  #onMessage(data: FileChannelMessage): void {
    if (this.#ended) return;
    if (typeof data !== 'string') return this.#chunk(data);
    const parsed = parseFileFrame(data);
    if (!parsed.ok) return this.#fail('PROTOCOL', FileTransferError.protocol(`a bad frame (${parsed.problem}).`).message);
    const frame = parsed.frame;
    if (frame.id !== this.#record.id) return this.#fail('PROTOCOL', FileTransferError.protocol('a frame for another transfer.').message);
    if (frame.type === 'file.error') return this.#end(() => this.#hooks.failed({ code: frame.code, message: frame.message }, true), true, true);
    if (frame.type === 'file.cancel') return this.#end(() => this.#hooks.cancelledByPeer(), true, true);
    return this.#fail('PROTOCOL', FileTransferError.protocol(`${frame.type} from the sender on a transfer channel.`).message);
  }

  #chunk(data: Uint8Array): void {
    if (this.#position + data.byteLength > this.#record.size) {
      return this.#fail('PROTOCOL', FileTransferError.protocol('more bytes than the offered size.').message);
    }
    try {
      this.#tunables.writeChunk(this.#fd!, data, this.#position);
    } catch (err) {
      return this.#localFailure(err);
    }
    this.#hash!.update(data);
    this.#position += data.byteLength;
    this.#hooks.received(this.#position);
    if (this.#ended) return; // a listener stopped it
    if (this.#position === this.#record.size) return this.#finish();
    if (this.#position - this.#lastAck >= this.#tunables.receiveWindowBytes / 4) {
      this.#lastAck = this.#position;
      this.#send({ type: 'file.ack', id: this.#record.id, bytes: this.#position });
    }
    if (this.#position - this.#lastCheckpoint >= this.#tunables.checkpointBytes) this.#checkpoint();
  }

  #checkpoint(): void {
    if (this.#syncing) return; // the next chunk asks again
    this.#syncing = true;
    const at = this.#position;
    const fd = this.#fd!;
    fsync(fd, (err) => {
      this.#syncing = false;
      if (this.#ended) return closeQuietly(fd); // #end left it open for this callback
      if (err) return this.#localFailure(err);
      this.#lastCheckpoint = at;
      this.#hooks.checkpoint(at);
      this.#send({ type: 'file.progress', id: this.#record.id, bytes: at });
      if (this.#finishWaiting) this.#finish();
    });
  }

  #finish(): void {
    if (this.#syncing) {
      // A checkpoint's fsync is still running on this descriptor: finish when it is done.
      this.#finishWaiting = true;
      return;
    }
    try {
      fsyncSync(this.#fd!);
      closeQuietly(this.#fd);
      this.#fd = null;
      const digest = this.#hash!.digest('base64url');
      if (digest !== this.#record.sha256) {
        const e = FileTransferError.hashMismatch();
        return this.#fail('HASH_MISMATCH', e.message);
      }
      const finalPath = claimUniqueName(this.#record.dir!, this.#record.safeName);
      renameSync(this.#partial, finalPath);
      fsyncDir(dirname(finalPath));
      this.#send({ type: 'file.complete', id: this.#record.id, sha256: digest });
      this.#end(() => this.#hooks.completed(finalPath), true);
    } catch (err) {
      this.#localFailure(err);
    }
  }

  #localFailure(err: unknown): void {
    const code = (err as NodeJS.ErrnoException)?.code;
    const e =
      err instanceof FileTransferError
        ? err
        : code === 'ENOSPC' || code === 'EDQUOT'
          ? FileTransferError.diskFull(err)
          : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT' || code === 'ELOOP'
            ? new FileTransferError('NOT_WRITABLE', 'The receiver’s downloads folder cannot be written to.', { cause: err }) // sent to the peer: no local path
            : new FileTransferError('INTERNAL', 'The file could not be written.', { cause: err });
    this.#fail(e.code as FileErrorCode, e.message);
  }

  #send(frame: FileFrame): void {
    try {
      if (this.#channel.isOpen()) this.#channel.send(encodeFileFrame(frame));
    } catch {
      // the channel went away
    }
  }

  #fail(code: FileErrorCode, message: string): void {
    this.#send({ type: 'file.error', id: this.#record.id, code, message });
    this.#end(() => this.#hooks.failed({ code, message }, false), true, true);
  }

  /** Stop for good (`cancel` tells the sender and removes the partial file) or let go (shutdown). */
  stop(how: 'cancel' | 'shutdown'): void {
    if (this.#ended) return;
    if (how === 'cancel') this.#send({ type: 'file.cancel', id: this.#record.id });
    this.#end(() => {}, true, how === 'cancel');
  }

  #end(report: () => void, closeChannel = false, removePartial = false): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#syncing) closeQuietly(this.#fd);
    this.#fd = null;
    if (removePartial) removePartialFile(this.#partial);
    if (closeChannel) this.#channel.close();
    report();
  }
}

export function removePartialFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    rmSync(path, { force: true });
  }
}

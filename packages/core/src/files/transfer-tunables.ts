import { closeSync, writeSync } from 'node:fs';

/** Engine knobs (FILE-01, FILE-02); defaults measured by bench/files.ts. */
export interface FileTunables {
  /** Bytes of file data per channel message (16 KiB–256 KiB). */
  chunkBytes: number;
  /** The sender stops handing chunks to the channel above this many buffered bytes… */
  highWaterBytes: number;
  /** …and resumes when the buffer drains below this. */
  lowWaterBytes: number;
  /**
   * The receiver's window (credit flow): the sender keeps at most this many bytes beyond the
   * receiver's last `file.ack` in flight; the receiver acks every quarter window. This, not the
   * sender's buffer marks, bounds how much file data sits ahead of a chat frame in the shared
   * SCTP association and in the receiver's queue.
   */
  receiveWindowBytes: number;
  /** The receiver fsyncs the partial file and records its length every this many bytes. */
  checkpointBytes: number;
  /** Progress events at most this often (plus the last byte). */
  progressIntervalMs: number;
  /** How many times the receiver tries to open a transfer's channel before it waits for the next resume. */
  channelOpenAttempts: number;
  /**
   * An end (complete, decline, cancel, error) told while no link was open is lost on the way:
   * each time a link to the contact opens, the ends of this long are said again (the peer
   * ignores what it already knows), at most `maxEndNotices` of them, newest first.
   */
  endNoticeResendMs: number;
  maxEndNotices: number;
  /** How a chunk is written to the partial file: the real pwrite, or a failure injector in tests. */
  writeChunk: (fd: number, data: Uint8Array, position: number) => void;
}

export function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done, position + done);
}

export const DEFAULT_FILE_TUNABLES: FileTunables = {
  chunkBytes: 256 * 1024,
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  receiveWindowBytes: 512 * 1024,
  checkpointBytes: 8 * 1024 * 1024,
  progressIntervalMs: 250,
  channelOpenAttempts: 3,
  endNoticeResendMs: 7 * 24 * 60 * 60 * 1000,
  maxEndNotices: 50,
  writeChunk: writeAll,
};

export function closeQuietly(fd: number | null): void {
  if (fd === null) return;
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

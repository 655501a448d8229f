import { accessSync, closeSync, constants, mkdirSync, openSync, statfsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { numberedFileName } from '@discordopus/protocol/files';
import { FileTransferError } from './file-transfer-error';

/** The default downloads folder: the platform's Downloads, then DiscordOpus (FILE-03). */
export function defaultDownloadsDir(home: string = homedir()): string {
  return join(home, 'Downloads', 'DiscordOpus');
}

/** The partial file of a transfer, hidden in the downloads folder (same file system as the final name). */
export function partialPathOf(dir: string, transferId: string): string {
  return join(dir, `.discordopus-${Buffer.from(transferId, 'base64url').toString('hex')}.part`);
}

/** Make the folder if needed and check it can be written to; throws NOT_WRITABLE. */
export function prepareFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw FileTransferError.notWritable(dir, err);
  }
}

/** Throws DISK_FULL when the folder's file system has less than `bytes` free. */
export function assertRoomFor(dir: string, bytes: number): void {
  if (bytes <= 0) return;
  const fs = statfsSync(dir);
  if (fs.bavail * fs.bsize < bytes) throw FileTransferError.diskFull();
}

/**
 * Claim a name in `dir` that nothing else has: the safe name, else `name (2)`, `name (3)`, …
 * Each try is an exclusive create (O_EXCL), so an existing file is never overwritten, even by a
 * race; the empty file it leaves is replaced by the finished one with one rename.
 */
export function claimUniqueName(dir: string, safeName: string): string {
  for (let n = 1; n < 10_000; n++) {
    const path = join(dir, numberedFileName(safeName, n));
    try {
      closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600));
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw FileTransferError.notWritable(dir, err);
    }
  }
  throw FileTransferError.notWritable(dir);
}

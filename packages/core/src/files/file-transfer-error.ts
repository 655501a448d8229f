import { DiscordOpusError } from '@discordopus/protocol';
import type { FileErrorCode } from '@discordopus/protocol/files';

export type FileTransferErrorCode =
  | FileErrorCode
  | 'TRANSFER_NOT_FOUND'
  | 'BAD_STATE'
  | 'BAD_PEER_KEY'
  | 'BAD_OFFER'
  | 'CHANNEL_CLOSED'
  | 'CHANNEL_FAILED';

/** Errors of the file-transfer engine (CONVENTIONS 5): a code and one sentence. */
export class FileTransferError extends DiscordOpusError<FileTransferErrorCode> {
  static notFound(): FileTransferError {
    return new FileTransferError('TRANSFER_NOT_FOUND', 'There is no such file transfer.');
  }

  static badState(state: string, wanted: string): FileTransferError {
    return new FileTransferError('BAD_STATE', `This transfer is ${state}; it can only be ${wanted}.`);
  }

  static badPeerKey(): FileTransferError {
    return new FileTransferError('BAD_PEER_KEY', 'A contact is named by their public key: 64 hex characters.');
  }

  static badOffer(problem: string): FileTransferError {
    return new FileTransferError('BAD_OFFER', `The file cannot be offered: ${problem}`);
  }

  static tooLarge(size: number, limit: number): FileTransferError {
    return new FileTransferError('TOO_LARGE', `The file is ${size} bytes; the limit set for received files is ${limit} bytes.`);
  }

  static notWritable(dir: string, cause?: unknown): FileTransferError {
    return new FileTransferError('NOT_WRITABLE', `The downloads folder ${dir} cannot be written to.`, { cause });
  }

  static diskFull(cause?: unknown): FileTransferError {
    return new FileTransferError('DISK_FULL', 'The disk is full; the partial file was removed.', { cause });
  }

  static sourceMissing(): FileTransferError {
    return new FileTransferError('SOURCE_MISSING', 'The file being sent is no longer there.');
  }

  static sourceChanged(): FileTransferError {
    return new FileTransferError('SOURCE_CHANGED', 'The file being sent was changed after it was offered; offer it again.');
  }

  static hashMismatch(): FileTransferError {
    return new FileTransferError('HASH_MISMATCH', 'The received file does not match the sender’s SHA-256; it was deleted.');
  }

  static channelClosed(): FileTransferError {
    return new FileTransferError('CHANNEL_CLOSED', 'The transfer’s channel is closed.');
  }

  static channelFailed(): FileTransferError {
    return new FileTransferError('CHANNEL_FAILED', 'The transfer’s channel could not be opened.');
  }

  static protocol(problem: string): FileTransferError {
    return new FileTransferError('PROTOCOL', `The peer broke the file-transfer protocol: ${problem}`);
  }
}

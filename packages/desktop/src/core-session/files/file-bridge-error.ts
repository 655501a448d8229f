import { DiscordOpusError } from '@discordopus/protocol';
import { FILE_BRIDGE_LIMITS } from '@discordopus/protocol/bridge';

export type FileBridgeErrorCode =
  | 'UPLOAD_NOT_FOUND'
  | 'UPLOAD_BAD_OFFSET'
  | 'UPLOAD_TOO_LARGE'
  | 'UPLOAD_INCOMPLETE'
  | 'UPLOAD_LIMIT'
  | 'UPLOAD_QUEUE_FULL'
  | 'UPLOAD_DISK_FULL'
  | 'UPLOAD_FAILED'
  | 'FILE_NOT_COMPLETE'
  | 'FOLDER_GONE'
  | 'OPENER_FAILED'
  | 'DOWNLOADS_NOT_WRITABLE';

/** What the desktop's file bridge refuses (FILE-01, FILE-03); the core's FileTransferError codes pass through as they are. */
export class FileBridgeError extends DiscordOpusError<FileBridgeErrorCode> {
  static uploadNotFound(): FileBridgeError {
    return new FileBridgeError('UPLOAD_NOT_FOUND', 'There is no such upload (it ended, was aborted, or sat idle too long).');
  }

  static badOffset(offset: number, received: number): FileBridgeError {
    return new FileBridgeError('UPLOAD_BAD_OFFSET', `This chunk starts at byte ${offset}, but ${received} bytes were received so far; send the chunks in order, one at a time.`);
  }

  static tooLarge(): FileBridgeError {
    return new FileBridgeError('UPLOAD_TOO_LARGE', 'The upload is larger than the size it announced.');
  }

  static incomplete(received: number, size: number): FileBridgeError {
    return new FileBridgeError('UPLOAD_INCOMPLETE', `Only ${received} of ${size} bytes were uploaded.`);
  }

  static limit(): FileBridgeError {
    return new FileBridgeError('UPLOAD_LIMIT', `At most ${FILE_BRIDGE_LIMITS.maxUploads} files can be uploaded at once; wait for one to finish.`);
  }

  static queueFull(): FileBridgeError {
    return new FileBridgeError(
      'UPLOAD_QUEUE_FULL',
      `At most ${FILE_BRIDGE_LIMITS.maxOutgoing} sent files can wait for an answer or be on their way at once; cancel one or wait for an answer.`,
    );
  }

  static diskFull(): FileBridgeError {
    return new FileBridgeError('UPLOAD_DISK_FULL', 'There is not enough free disk space in the profile folder to stage this file.');
  }

  static failed(cause: unknown): FileBridgeError {
    return new FileBridgeError('UPLOAD_FAILED', 'The file could not be staged for sending (writing to the profile folder failed).', { cause });
  }

  static notComplete(): FileBridgeError {
    return new FileBridgeError('FILE_NOT_COMPLETE', 'Only a file that was received completely can be shown in its folder.');
  }

  static folderGone(): FileBridgeError {
    return new FileBridgeError('FOLDER_GONE', 'The folder of this file is no longer there.');
  }

  static openerFailed(cause: unknown): FileBridgeError {
    return new FileBridgeError('OPENER_FAILED', 'No file manager could be started; the file is in its downloads folder.', { cause });
  }

  static insideProfile(): FileBridgeError {
    return new FileBridgeError('DOWNLOADS_NOT_WRITABLE', 'The downloads folder cannot be inside the profile folder; choose another folder.');
  }

  static notWritable(cause?: unknown): FileBridgeError {
    return new FileBridgeError('DOWNLOADS_NOT_WRITABLE', 'That folder cannot be created or written to; choose another downloads folder.', { cause });
  }
}

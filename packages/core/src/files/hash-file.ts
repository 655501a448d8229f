import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileTransferError } from './file-transfer-error';

/** SHA-256 of a file, streamed (base64url); a file that cannot be read is SOURCE_MISSING. */
export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', () => reject(FileTransferError.sourceMissing()))
      .on('end', () => resolve(hash.digest('base64url')));
  });
}

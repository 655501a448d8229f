import { FILE_ERROR_CODES, type FileErrorCode } from '@discordopus/protocol/files';

const WIRE_CODES: ReadonlySet<string> = new Set(FILE_ERROR_CODES);

/** A local failure code as a `file.error` code (PROTOCOL.md §8.2): one the wire does not know goes as INTERNAL. */
export function toWireCode(code: string): FileErrorCode {
  return WIRE_CODES.has(code) ? (code as FileErrorCode) : 'INTERNAL';
}

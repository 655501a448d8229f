import { bech32m } from '@scure/base';
import { UserIdError } from './user-id-error';

/**
 * User ID text codec (IDEN-02).
 *
 * A user ID is the 32-byte Ed25519 public key in bech32m (BIP-350) with the human-readable
 * prefix `dopus`: `dopus1` + 52 data characters + 6 checksum characters = 64 characters.
 * bech32m's BCH checksum detects every error in up to 4 characters of a string this short, so
 * every single-character substitution and every adjacent transposition is rejected; its
 * alphabet omits the look-alikes 1, b, i and o. Decoding is case-insensitive, but a mixed-case
 * string is rejected as the bech32 specification requires.
 */
export const USER_ID_PREFIX = 'dopus';
export const PUBLIC_KEY_BYTES = 32;

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CHECKSUM_CHARS = 6;
/** 32 bytes = 256 bits → 52 five-bit words, plus the checksum. */
const DATA_CHARS = Math.ceil((PUBLIC_KEY_BYTES * 8) / 5) + CHECKSUM_CHARS;
export const USER_ID_LENGTH = USER_ID_PREFIX.length + 1 + DATA_CHARS;

export function encodeUserId(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_BYTES) {
    throw new RangeError(`A public key is ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}.`);
  }
  return bech32m.encode(USER_ID_PREFIX, bech32m.toWords(publicKey));
}

/**
 * Decode a user ID to its public key, or throw a UserIdError that says what is wrong.
 * Surrounding whitespace is ignored (IDs are pasted); nothing else is forgiven.
 */
export function decodeUserId(text: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw UserIdError.empty();

  const lower = trimmed.toLowerCase();
  if (trimmed !== lower && trimmed !== trimmed.toUpperCase()) throw UserIdError.mixedCase();

  const separator = lower.lastIndexOf('1');
  const prefix = separator === -1 ? lower : lower.slice(0, separator);
  if (separator === -1 || prefix !== USER_ID_PREFIX) {
    // A pasted ID with a character swapped into the prefix still names the problem correctly.
    throw UserIdError.badPrefix(prefix, USER_ID_PREFIX);
  }

  const data = lower.slice(separator + 1);
  for (let i = 0; i < data.length; i++) {
    if (!CHARSET.includes(data[i] as string)) throw UserIdError.badCharacter(trimmed[separator + 1 + i] as string, separator + 1 + i);
  }
  if (data.length !== DATA_CHARS) throw UserIdError.badLength(lower.length, USER_ID_LENGTH);

  const decoded = bech32m.decodeUnsafe(lower as `${string}1${string}`, USER_ID_LENGTH);
  if (decoded === undefined) throw UserIdError.badChecksum();
  const bytes = bech32m.fromWordsUnsafe(decoded.words);
  // 52 words carry 260 bits; the 4 padding bits must be zero or two IDs would share a key.
  if (bytes === undefined || bytes.length !== PUBLIC_KEY_BYTES) throw UserIdError.badChecksum();
  return bytes;
}

/** True when `text` decodes; for live validation in forms. */
export function isUserId(text: string): boolean {
  try {
    decodeUserId(text);
    return true;
  } catch {
    return false;
  }
}

/** A short form for display in lists: `dopus1abcd…wxyz`. Never accepted as input. */
export function shortUserId(userId: string): string {
  return `${userId.slice(0, USER_ID_PREFIX.length + 5)}…${userId.slice(-4)}`;
}

import { base64urlnopad, hex } from '@scure/base';

/** Lower-case hex, no prefix. */
export function bytesToHex(bytes: Uint8Array): string {
  return hex.encode(bytes);
}

/** Throws on odd length or a non-hex character. */
export function hexToBytes(text: string): Uint8Array {
  return hex.decode(text);
}

/** base64url without padding: the encoding of every binary field on the wire. */
export function bytesToBase64url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/** Strict: throws on padding, on characters outside the alphabet and on non-canonical tails. */
export function base64urlToBytes(text: string): Uint8Array {
  return base64urlnopad.decode(text);
}

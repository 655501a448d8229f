import { base64 } from '@scure/base';

/**
 * Standard base64 with padding (the bridge carries backup files this way), from `@scure/base`:
 * strict on input (a malformed string throws rather than decoding to something else).
 */
export function bytesToBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(base64.decode(text));
}

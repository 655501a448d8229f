import { sha512 } from '@noble/hashes/sha2.js';
import { PUBLIC_KEY_BYTES } from '../user-id/user-id';

/**
 * Safety numbers (CONT-05), after Signal's numeric fingerprint: each key is hashed
 * SAFETY_NUMBER_ITERATIONS times with SHA-512 (so finding a key with a chosen fingerprint costs
 * that much per guess), the first 30 bytes become 30 digits (six 5-byte chunks, each mod
 * 100,000), and the two halves are put in sorted order so that both users see the same 60
 * digits whichever side computes them. A change of either key changes the number.
 */
export const SAFETY_NUMBER_ITERATIONS = 5200;
const FINGERPRINT_VERSION = Uint8Array.of(0, 1);
const DOMAIN = new TextEncoder().encode('discordopus/v1/safety-number');

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The 30-digit half of the safety number that belongs to one public key. */
export function fingerprintDigits(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_BYTES) {
    throw new RangeError(`A public key is ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}.`);
  }
  let hash = sha512(concat(FINGERPRINT_VERSION, DOMAIN, publicKey));
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = sha512(concat(hash, publicKey));
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    for (let b = 0; b < 5; b++) value = value * 256 + (hash[chunk * 5 + b] as number);
    digits += String(value % 100_000).padStart(5, '0');
  }
  return digits;
}

/** 60 digits, the same on both sides. */
export function safetyNumber(publicKeyA: Uint8Array, publicKeyB: Uint8Array): string {
  const a = fingerprintDigits(publicKeyA);
  const b = fingerprintDigits(publicKeyB);
  return a <= b ? a + b : b + a;
}

/** The 60 digits as 12 groups of 5, the way people read them out to each other. */
export function formatSafetyNumber(digits: string): string[] {
  return digits.match(/\d{5}/g) ?? [];
}

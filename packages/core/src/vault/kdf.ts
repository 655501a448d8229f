import { scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Passphrase → key (VAULT-01, IDEN-03).
 *
 * scrypt from node:crypto (OpenSSL), memory-hard. The default cost is N = 2^17, r = 8, p = 1:
 * 128 MiB of memory and about half a second per guess on this project's machines (see
 * bench/RESULTS.md), OWASP's recommended minimum for scrypt. It runs on libuv's thread pool, so
 * unlocking never blocks the event loop. The cost is a parameter so tests whose subject is not
 * the KDF can use a cheap one; the chosen parameters are stored next to what they protect, so
 * unlocking never needs to be told them.
 *
 * The passphrase is NFC-normalised before UTF-8 encoding, so the same passphrase typed on
 * different systems gives the same key.
 */
export const scryptParamsSchema = z
  .object({
    N: z
      .number()
      .int()
      .min(2 ** 10)
      .max(2 ** 22)
      .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
  })
  .strict()
  .refine((s) => 128 * s.N * s.r <= 1024 * 1024 * 1024, 'scrypt parameters need more than 1 GiB of memory');

export type ScryptParams = z.infer<typeof scryptParamsSchema>;

export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
/** A deliberately cheap cost, for tests that are not about the KDF. Never a default. */
export const TEST_ONLY_CHEAP_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });

export const KEY_BYTES = 32;
export const SALT_BYTES = 16;

export function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize('NFC'), 'utf8');
}

/** Derive `length` bytes from a passphrase; the result is the caller's to wipe. */
export function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams, length = KEY_BYTES): Promise<Buffer> {
  const checked = scryptParamsSchema.parse(params);
  const secret = passphraseBytes(passphrase);
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { ...checked, maxmem: 128 * checked.N * checked.r + 64 * 1024 * 1024 }, (err, key) => {
      secret.fill(0);
      if (err) reject(err);
      else resolve(key);
    });
  });
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

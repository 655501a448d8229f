import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, deriveKey, scryptParamsSchema, TEST_ONLY_CHEAP_SCRYPT } from './kdf';

describe('passphrase KDF (VAULT-01)', () => {
  it('VAULT-01: the default cost is scrypt N=2^17, r=8, p=1 (128 MiB per guess)', () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    expect(128 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r).toBe(128 * 1024 * 1024);
  });

  it('derives the same key for the same passphrase and salt, in NFC, and another for anything else', async () => {
    const salt = randomBytes(16);
    const a = await deriveKey('café au lait', salt, TEST_ONLY_CHEAP_SCRYPT);
    expect(await deriveKey('cafe\u0301 au lait', salt, TEST_ONLY_CHEAP_SCRYPT)).toEqual(a);
    expect(await deriveKey('café au lait!', salt, TEST_ONLY_CHEAP_SCRYPT)).not.toEqual(a);
    expect(await deriveKey('café au lait', randomBytes(16), TEST_ONLY_CHEAP_SCRYPT)).not.toEqual(a);
    expect(a).toHaveLength(32);
  });

  it('bounds the parameters a file may ask for', () => {
    expect(scryptParamsSchema.safeParse({ N: 3000, r: 8, p: 1 }).success).toBe(false);
    expect(scryptParamsSchema.safeParse({ N: 2 ** 23, r: 8, p: 1 }).success).toBe(false);
    expect(scryptParamsSchema.safeParse({ N: 2 ** 22, r: 32, p: 1 }).success).toBe(false);
    expect(scryptParamsSchema.safeParse({ N: 2 ** 14, r: 8, p: 1, extra: 1 }).success).toBe(false);
  });
});

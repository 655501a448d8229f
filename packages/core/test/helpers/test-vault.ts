import { join } from 'node:path';
import { bytesToHex } from '@discordopus/protocol';
import { Vault, type VaultCreateOptions } from '../../src/vault/vault';
import { deriveKey, TEST_ONLY_CHEAP_SCRYPT } from '../../src/vault/kdf';
import { KEY_FILE_NAME, readKeyFile } from '../../src/vault/key-file';

export const PASSPHRASE = 'correct horse battery staple';
export const OTHER_PASSPHRASE = 'purple elephant violin tuesday';

/** A vault with a cheap KDF: for tests whose subject is not the KDF cost. */
export function createTestVault(dir: string, options: Partial<VaultCreateOptions> = {}): Promise<Vault> {
  return Vault.create({ dir, passphrase: PASSPHRASE, displayName: 'Alice', kdf: TEST_ONLY_CHEAP_SCRYPT, ...options });
}

/** The raw SQLCipher key (hex) a passphrase gives for the vault in `dir`: the "same key material". */
export async function rawKeyHex(dir: string, passphrase: string): Promise<string> {
  const keyFile = readKeyFile(join(dir, KEY_FILE_NAME));
  const key = await deriveKey(passphrase, keyFile.salt, keyFile.params);
  return bytesToHex(key);
}

/** Resolve the error a promise or function throws, for `expect(...).toMatchObject({ code })`. */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, none was thrown');
}

/** The `code` a synchronous call throws, or 'NO ERROR'. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'NO ERROR';
}

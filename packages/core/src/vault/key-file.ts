import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { base64urlToBytes, bytesToBase64url } from '@discordopus/protocol';
import { z } from 'zod';
import { writeFileAtomic } from './durable-fs';
import { SALT_BYTES, scryptParamsSchema, type ScryptParams } from './kdf';
import { VaultError } from './vault-error';

/**
 * `vault-kdf.json`, beside `vault.db`: the scrypt parameters and the per-profile random salt.
 * Nothing in it is secret. It is written once, when the vault is created, and never changed
 * afterwards (a passphrase change re-encrypts the database under scrypt(new passphrase, same
 * salt)), so the database file alone carries each passphrase change and a rename of that one
 * file is the whole commit.
 *
 * Someone who edits this file gains nothing: other parameters give another key, and the
 * database then refuses to open (WRONG_PASSPHRASE). The bounds below keep an edited file from
 * making an unlock take gigabytes of memory.
 */
export const KEY_FILE_NAME = 'vault-kdf.json';
const MAX_KEY_FILE_BYTES = 4096;

const keyFileSchema = z
  .object({
    format: z.literal('discordopus-vault-kdf'),
    version: z.literal(1),
    kdf: z.literal('scrypt'),
    params: scryptParamsSchema,
    salt: z.string().max(64),
  })
  .strict();

export interface KeyFile {
  params: ScryptParams;
  salt: Uint8Array;
}

export function newKeyFile(params: ScryptParams): KeyFile {
  return { params: scryptParamsSchema.parse(params), salt: new Uint8Array(randomBytes(SALT_BYTES)) };
}

export function writeKeyFile(path: string, keyFile: KeyFile): void {
  const json = {
    format: 'discordopus-vault-kdf',
    version: 1,
    kdf: 'scrypt',
    params: keyFile.params,
    salt: bytesToBase64url(keyFile.salt),
  } satisfies z.input<typeof keyFileSchema>;
  writeFileAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
}

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw VaultError.badKeyFile(`cannot read ${path}`, err);
  }
  if (text.length > MAX_KEY_FILE_BYTES) throw VaultError.badKeyFile('it is too large');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw VaultError.badKeyFile('it is not JSON', err);
  }
  const parsed = keyFileSchema.safeParse(raw);
  if (!parsed.success) throw VaultError.badKeyFile(z.prettifyError(parsed.error));
  let salt: Uint8Array;
  try {
    salt = base64urlToBytes(parsed.data.salt);
  } catch (err) {
    throw VaultError.badKeyFile('the salt is not base64url', err);
  }
  if (salt.length !== SALT_BYTES) throw VaultError.badKeyFile(`the salt is not ${SALT_BYTES} bytes`);
  return { params: parsed.data.params, salt };
}

import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { base64urlToBytes, bytesToBase64url } from '@discordopus/protocol';
import { z } from 'zod';
import { SEED_BYTES } from '../identity/ed25519';
import { contentsV1Schema, contentsV2Schema, contentsV3Schema, type ProfileData } from './backup-contents';
import { DEFAULT_SCRYPT, deriveKey, SALT_BYTES, sameKey, scryptParamsSchema, type ScryptParams } from '../vault/kdf';
import { VaultError } from '../vault/vault-error';

/**
 * The backup file (IDEN-03): the private seed and display name and (since version 2, issue 15
 * item 2) the contacts and changed settings, encrypted under a backup passphrase, as UTF-8 JSON:
 *
 *   { format: "discordopus-identity-backup", version: 3, createdAt,
 *     kdf: { name: "scrypt", N, r, p, salt }, cipher: { name: "aes-256-gcm", nonce },
 *     check, ciphertext }                                 (binary fields base64url, no padding)
 *
 * scrypt(passphrase, salt) gives 64 bytes: the first 32 are the AES-256-GCM key, the last 32
 * make `check` = HMAC-SHA256(them, "discordopus/v1/backup-check"). `check` tells a wrong
 * passphrase (WRONG_PASSPHRASE) from a changed file (BACKUP_TAMPERED) without weakening
 * anything: an attacker with the file can test guesses against the ciphertext just as well.
 * Every header field is bound into the GCM tag as associated data, so a change to any byte
 * is detected; a change to the KDF fields gives another key and reads as a wrong passphrase.
 * Versions differ only in the encrypted contents (version 1: `{ seed, displayName }`; version 3
 * adds each contact's `addedBack` and the `blocked` users, CONT-06); all are read, version 3 is written.
 */
export const BACKUP_FORMAT = 'discordopus-identity-backup';
export const BACKUP_VERSION = 3;
const READABLE_VERSIONS: readonly number[] = [1, 2, 3];
/** Fits, base64-encoded, in one bridge frame (BRIDGE_LIMITS.backupBase64Chars). */
export const BACKUP_MAX_BYTES = 704 * 1024;
const CHECK_LABEL = 'discordopus/v1/backup-check';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const b64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'base64url');

const headerSchema = z.object({ format: z.literal(BACKUP_FORMAT), version: z.number().int() });
const backupSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    createdAt: z.iso.datetime(),
    kdf: z.object({ name: z.literal('scrypt'), N: z.number(), r: z.number(), p: z.number(), salt: b64(64) }).strict(),
    cipher: z.object({ name: z.literal('aes-256-gcm'), nonce: b64(32) }).strict(),
    check: b64(64),
    ciphertext: b64(BACKUP_MAX_BYTES),
  })
  .strict();
type BackupFile = z.infer<typeof backupSchema>;

export interface BackupContents extends ProfileData {
  seed: Uint8Array;
  displayName: string;
}

export async function encryptBackup(
  contents: BackupContents,
  passphrase: string,
  options: { kdf?: ScryptParams; now?: () => number } = {},
): Promise<Uint8Array> {
  const params = scryptParamsSchema.parse(options.kdf ?? DEFAULT_SCRYPT);
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date((options.now ?? Date.now)()).toISOString(),
    kdf: { name: 'scrypt', ...params, salt: bytesToBase64url(salt) },
    cipher: { name: 'aes-256-gcm', nonce: bytesToBase64url(nonce) },
  } as const;
  const derived = await deriveKey(passphrase, salt, params, 64);
  try {
    const cipher = createCipheriv('aes-256-gcm', derived.subarray(0, 32), nonce);
    cipher.setAAD(associatedData(header));
    const plaintext = Buffer.from(
      JSON.stringify({ seed: bytesToBase64url(contents.seed), displayName: contents.displayName, contacts: contents.contacts.map((c) => ({ ...c, addedBack: c.addedBack ?? false })), blocked: contents.blocked, settings: contents.settings }),
    );
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    plaintext.fill(0);
    const file: BackupFile = { ...header, check: bytesToBase64url(checkValue(derived)), ciphertext: bytesToBase64url(ciphertext) };
    const bytes = Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
    if (bytes.length > BACKUP_MAX_BYTES) throw VaultError.backupTooLarge(bytes.length, BACKUP_MAX_BYTES);
    return new Uint8Array(bytes);
  } finally {
    derived.fill(0);
  }
}

/** Throws BACKUP_TOO_LARGE, BACKUP_INVALID, BACKUP_UNSUPPORTED, WRONG_PASSPHRASE or BACKUP_TAMPERED. */
export async function decryptBackup(bytes: Uint8Array, passphrase: string): Promise<BackupContents> {
  const file = parseBackupFile(bytes);
  const params = scryptParamsSchema.safeParse({ N: file.kdf.N, r: file.kdf.r, p: file.kdf.p });
  if (!params.success) throw VaultError.backupInvalid(`its KDF parameters are out of range (${z.prettifyError(params.error)})`);
  const salt = decode(file.kdf.salt, SALT_BYTES, 'salt');
  const nonce = decode(file.cipher.nonce, NONCE_BYTES, 'nonce');
  const check = decode(file.check, 32, 'check');
  const ciphertext = decode(file.ciphertext, null, 'ciphertext');
  if (ciphertext.length < TAG_BYTES) throw VaultError.backupTampered();

  const derived = await deriveKey(passphrase, salt, params.data, 64);
  let plaintext: Buffer;
  try {
    if (!sameKey(checkValue(derived), check)) throw VaultError.wrongPassphrase('backup');
    const decipher = createDecipheriv('aes-256-gcm', derived.subarray(0, 32), nonce);
    decipher.setAAD(associatedData(file));
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
    try {
      plaintext = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES)), decipher.final()]);
    } catch (err) {
      throw VaultError.backupTampered(err);
    }
  } finally {
    derived.fill(0);
  }
  try {
    const json: unknown = JSON.parse(plaintext.toString('utf8'));
    if (file.version === 1) {
      const v1 = contentsV1Schema.safeParse(json);
      if (!v1.success) throw VaultError.backupInvalid('its contents are not an identity');
      return { seed: decode(v1.data.seed, SEED_BYTES, 'seed'), displayName: v1.data.displayName, contacts: [], blocked: [], settings: {} };
    }
    if (file.version === 2) {
      const v2 = contentsV2Schema.safeParse(json);
      if (!v2.success) throw VaultError.backupInvalid(`its contents are not a profile (${z.prettifyError(v2.error)})`);
      const { seed, displayName, contacts, settings } = v2.data;
      return { seed: decode(seed, SEED_BYTES, 'seed'), displayName, contacts, blocked: [], settings };
    }
    const v3 = contentsV3Schema.safeParse(json);
    if (!v3.success) throw VaultError.backupInvalid(`its contents are not a profile (${z.prettifyError(v3.error)})`);
    const { seed, displayName, contacts, blocked, settings } = v3.data;
    return { seed: decode(seed, SEED_BYTES, 'seed'), displayName, contacts, blocked, settings };
  } finally {
    plaintext.fill(0);
  }
}

function parseBackupFile(bytes: Uint8Array): BackupFile {
  if (bytes.length > BACKUP_MAX_BYTES) throw VaultError.backupTooLarge(bytes.length, BACKUP_MAX_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw VaultError.backupInvalid('it is not a JSON text file', err);
  }
  const header = headerSchema.safeParse(raw);
  if (!header.success) throw VaultError.backupInvalid('it does not start like one');
  if (!READABLE_VERSIONS.includes(header.data.version)) throw VaultError.backupUnsupported(header.data.version);
  const parsed = backupSchema.safeParse(raw);
  if (!parsed.success) throw VaultError.backupInvalid(z.prettifyError(parsed.error));
  return parsed.data;
}

type Header = Pick<BackupFile, 'format' | 'version' | 'createdAt' | 'kdf' | 'cipher'>;

/** The header fields, in a fixed order, as the GCM associated data. */
function associatedData(h: Header): Buffer {
  const { kdf, cipher } = h;
  return Buffer.from(
    JSON.stringify([h.format, h.version, h.createdAt, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, cipher.name, cipher.nonce]),
    'utf8',
  );
}

function checkValue(derived: Buffer): Buffer {
  return createHmac('sha256', derived.subarray(32, 64)).update(CHECK_LABEL).digest();
}

/** A field that passed the schema but does not decode to its size was changed: tampered. */
function decode(text: string, length: number | null, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = base64urlToBytes(text);
  } catch (err) {
    throw VaultError.backupTampered(new Error(`the ${what} is not canonical base64url`, { cause: err }));
  }
  if (length !== null && bytes.length !== length) throw VaultError.backupTampered(new Error(`the ${what} is not ${length} bytes`));
  return bytes;
}

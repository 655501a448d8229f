import { z } from 'zod';
import { isUserId } from '../user-id/user-id';
import { PASSPHRASE_MAX_CHARS, PASSPHRASE_MIN_CHARS } from '../passphrase/passphrase-limits';
import { SIGNALING_URL_MAX_CHARS } from '../wire/signaling-url';

/**
 * Building blocks of the local bridge contract (app ↔ core). Every string is bounded; the
 * limits live here once so the UI can show them and the bridge can enforce them.
 */
export const BRIDGE_LIMITS = {
  /** Code points, as the core counts them. */
  displayNameChars: 64,
  /** Code points, as the core counts them. */
  nicknameChars: 64,
  /** New passphrases must be at least this long (the vault's own policy, which says more, is the gate). */
  passphraseMinChars: PASSPHRASE_MIN_CHARS,
  passphraseMaxChars: PASSPHRASE_MAX_CHARS,
  /** A pasted user ID may carry whitespace around it; the codec trims it. */
  userIdInputChars: 256,
  profileNameChars: 64,
  fileNameChars: 255,
  /** A backup file of up to 704 KiB (BACKUP_MAX_BYTES in core), base64: fits in one frame. */
  backupBase64Chars: 940 * 1024,
  signalingUrlChars: SIGNALING_URL_MAX_CHARS,
  signalingUrls: 5,
  reasonChars: 500,
  errorCodeChars: 64,
  errorMessageChars: 1000,
  contacts: 10_000,
  methodChars: 64,
  /** The largest text frame either side accepts (a restore call with the largest backup fits). */
  maxFrameBytes: 1024 * 1024,
} as const;

/** Milliseconds since the Unix epoch. */
export const epochMsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** An Ed25519 public key as 64 lower-case hex characters: how the bridge names a contact. */
export const publicKeyHexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a public key is 64 lower-case hex characters');

/** A user ID that the core produced: always valid (IDEN-02). */
export const userIdSchema = z
  .string()
  .max(BRIDGE_LIMITS.userIdInputChars)
  .refine((text) => isUserId(text), 'not a valid user ID');

/** A user ID typed or pasted by a person: checked by the core with `decodeUserId`, which names the problem. */
export const userIdInputSchema = z.string().max(BRIDGE_LIMITS.userIdInputChars);

/**
 * A display name or nickname: trimmed, 1 to 64 characters counted as code points (an emoji is
 * one), the same bound the core's vault applies; the core also refuses control characters.
 */
function shortNameSchema(what: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max * 2, `${what} is at most ${max} characters`)
    .refine((text) => [...text].length <= max, `${what} is at most ${max} characters`);
}

export const displayNameSchema = shortNameSchema('a display name', BRIDGE_LIMITS.displayNameChars);

export const nicknameSchema = shortNameSchema('a nickname', BRIDGE_LIMITS.nicknameChars);

/** A passphrase being set (create, restore, change): long enough to be worth something. */
export const newPassphraseSchema = z
  .string()
  .min(BRIDGE_LIMITS.passphraseMinChars, `a passphrase has at least ${BRIDGE_LIMITS.passphraseMinChars} characters`)
  .max(BRIDGE_LIMITS.passphraseMaxChars);

/** A passphrase being checked (unlock, export, change): whatever was set. */
export const passphraseSchema = z.string().min(1, 'the passphrase is empty').max(BRIDGE_LIMITS.passphraseMaxChars);

export const backupBase64Schema = z
  .string()
  .min(1)
  .max(BRIDGE_LIMITS.backupBase64Chars)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'a backup is standard base64');

/** What the user chooses (PRES-01): the same values the signaling wire carries. */
export { OWN_STATUSES as OWN_STATUS_VALUES, ownStatusSchema as ownStatusValueSchema, type OwnStatus as OwnStatusValue } from '../wire/primitives';

/** What the user sees of a contact (invisible shows as offline; unknown before the first presence). */
export { CONTACT_STATUSES as CONTACT_STATUS_VALUES, contactStatusSchema, type ContactStatus } from '../wire/primitives';

export const THEMES = ['dark', 'light', 'system'] as const;
export const themeSchema = z.enum(THEMES);
export type Theme = z.infer<typeof themeSchema>;

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
  /** A link unused this long closes (`links.idleCloseMs`, the vault's bounds: 30 s to 24 h). */
  linkIdleCloseMinMs: 30_000,
  linkIdleCloseMaxMs: 24 * 60 * 60_000,
  /** The largest text frame either side accepts (a restore call with the largest backup fits). */
  maxFrameBytes: 1024 * 1024,
} as const;

/** P2P-01: how long an unused direct link stays open (whole ms; desktop tests check it equals the vault's rule). */
export const linkIdleCloseMsSchema = z
  .number()
  .int()
  .min(BRIDGE_LIMITS.linkIdleCloseMinMs, 'a link stays open at least 30 seconds')
  .max(BRIDGE_LIMITS.linkIdleCloseMaxMs, 'a link closes after at most 24 hours');

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
    // NFC first, as the vault does: "é" typed as e + accent is one character, not two.
    .normalize('NFC')
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max * 2, `${what} is at most ${max} characters`)
    .refine((text) => [...text].length <= max, `${what} is at most ${max} characters`)
    // The vault's rule (core/src/text/short-name.ts), so the app can say it before asking the core.
    .refine((text) => text.replace(INVISIBLE, '').length > 0, `${what} needs at least one visible character`)
    .refine((text) => !CONTROL.test(text), `${what} cannot contain control characters or line breaks`)
    .refine((text) => !BIDI_CONTROL.test(text), `${what} cannot contain text-direction control characters`);
}

/** Characters that show as nothing: a name of only these is a blank name and a blank avatar. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{White_Space}\u115f\u1160\u3164\uffa0]/gu;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
/** Bidirectional overrides and isolates make a name display as something else ("txt.exe"). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;

/** What is wrong with a display name the user typed, in a sentence, or null (the bridge's own rule). */
export function displayNameProblem(text: string): string | null {
  const parsed = displayNameSchema.safeParse(text);
  if (parsed.success) return null;
  const message = parsed.error.issues[0]?.message ?? 'not a valid display name';
  return `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}.`;
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

import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';

export interface PassphraseHint {
  /** 0 (not accepted) … 4 (strong), for the meter. */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  hint: string;
  acceptable: boolean;
}

/**
 * A live strength hint while typing. The core's vault policy is the gate (it refuses weak
 * passphrases with WEAK_PASSPHRASE and says why); this only guides the user before they submit.
 */
export function passphraseHint(passphrase: string): PassphraseHint {
  const chars = [...passphrase];
  const min = BRIDGE_LIMITS.passphraseMinChars;
  if (chars.length === 0) return { score: 0, label: '', hint: `At least ${min} characters. Four or five unrelated words work well.`, acceptable: false };
  if (chars.length < min) {
    return { score: 0, label: 'Too short', hint: `Use at least ${min} characters (this has ${chars.length}).`, acceptable: false };
  }
  if (new Set(chars).size <= 2) return { score: 0, label: 'Too weak', hint: 'It repeats the same one or two characters.', acceptable: false };
  let pool = 0;
  if (/\p{Ll}/u.test(passphrase)) pool += 26;
  if (/\p{Lu}/u.test(passphrase)) pool += 26;
  if (/\d/.test(passphrase)) pool += 10;
  if (/[\s\p{P}\p{S}]/u.test(passphrase)) pool += 33;
  if ([...passphrase].some((c) => c.charCodeAt(0) > 0x7f)) pool += 100;
  const bits = Math.min(chars.length, new Set(chars).size * 2) * Math.log2(Math.max(pool, 2));
  if (bits < 40) return { score: 1, label: 'Weak', hint: 'Add more words or characters to make it stronger.', acceptable: true };
  if (bits < 60) return { score: 2, label: 'Fair', hint: 'Acceptable. A longer passphrase would be stronger.', acceptable: true };
  if (bits < 80) return { score: 3, label: 'Good', hint: 'Good passphrase.', acceptable: true };
  return { score: 4, label: 'Strong', hint: 'Strong passphrase.', acceptable: true };
}

import { PASSPHRASE_MAX_CHARS as PASSPHRASE_MAX_LENGTH, PASSPHRASE_MIN_CHARS as PASSPHRASE_MIN_LENGTH } from '@discordopus/protocol';
import { VaultError } from './vault-error';

/**
 * What a vault passphrase must be (VAULT-01). The vault file can be copied and attacked
 * offline, so the floor is a length, plus a few checks that catch the passphrases attackers
 * try first. `passphraseStrength` is for the UI's live meter; `assertAcceptablePassphrase` is
 * the gate that creating a vault and changing the passphrase go through.
 */
export { PASSPHRASE_MIN_CHARS as PASSPHRASE_MIN_LENGTH, PASSPHRASE_MAX_CHARS as PASSPHRASE_MAX_LENGTH } from '@discordopus/protocol';

export interface PassphraseStrength {
  acceptable: boolean;
  /** 0 (refused) … 4 (strong): a rough estimate for a meter, not a promise. */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why it is refused; empty when acceptable. Each is one sentence for a person. */
  problems: string[];
  /** One sentence of advice to show under the field. */
  hint: string;
}

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'qwertzuiop', 'azertyuiop'];
const COMMON = new Set([
  'password', 'passphrase', 'passwort', 'motdepasse', 'qwerty', 'letmein', 'iloveyou', 'welcome', 'admin', 'administrator',
  'changeme', 'secret', 'discordopus', 'discord', 'opus', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess',
  'trustno', 'whatever', 'master', 'login', 'starwars', 'superman', 'batman', 'hello', 'freedom', 'shadow', 'abc',
]);

export function passphraseStrength(passphrase: string, context: { displayName?: string } = {}): PassphraseStrength {
  const text = passphrase.normalize('NFC');
  const chars = [...text];
  const problems: string[] = [];
  if (text.length === 0) {
    problems.push('Enter a passphrase.');
  } else if (chars.length < PASSPHRASE_MIN_LENGTH) {
    problems.push(`Use at least ${PASSPHRASE_MIN_LENGTH} characters (this has ${chars.length}).`);
  } else if (chars.length > PASSPHRASE_MAX_LENGTH) {
    problems.push(`Use at most ${PASSPHRASE_MAX_LENGTH} characters.`);
  }
  if (text.length > 0) {
    const lower = text.toLowerCase();
    const letters = lower.replace(/[^\p{L}]/gu, '');
    if (new Set(chars).size <= 2) problems.push('It repeats the same one or two characters.');
    else if (isSequence(lower.replace(/\s/g, ''))) problems.push('It is a keyboard or alphabet sequence.');
    else if (COMMON.has(letters) || COMMON.has(lower.replace(/[\d\s\W_]+$/u, '').replace(/^[\d\s\W_]+/u, ''))) {
      problems.push('It is one of the passwords attackers try first.');
    }
    const name = context.displayName?.normalize('NFC').toLowerCase().trim() ?? '';
    if (name.length >= 3 && lower.includes(name) && chars.length - [...name].length < PASSPHRASE_MIN_LENGTH) {
      problems.push('It is mostly your display name.');
    }
  }
  const bits = problems.length > 0 ? 0 : estimateBits(chars);
  const score = problems.length > 0 ? 0 : bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  const hint =
    problems.length > 0
      ? `${problems[0]} Four or five unrelated words make a strong passphrase that is easy to remember.`
      : score < 3
        ? 'Acceptable. A longer passphrase (more unrelated words) would be stronger.'
        : 'Strong passphrase.';
  return { acceptable: problems.length === 0, score, problems, hint };
}

/** Throws WEAK_PASSPHRASE with the first problem found. */
export function assertAcceptablePassphrase(passphrase: string, context: { displayName?: string } = {}): void {
  const strength = passphraseStrength(passphrase, context);
  if (!strength.acceptable) throw VaultError.weakPassphrase(`This passphrase is too weak: ${strength.problems[0]}`);
}

/** A run along the alphabet, the digits or a keyboard row (either direction, may wrap). */
function isSequence(text: string): boolean {
  if (text.length < 4) return false;
  return SEQUENCES.some((run) => {
    const reversed = [...run].reverse().join('');
    return run.repeat(3).includes(text) || reversed.repeat(3).includes(text);
  });
}

/** Length × log2(pool of character classes used): crude, and deliberately never flattering. */
function estimateBits(chars: string[]): number {
  let pool = 0;
  const all = chars.join('');
  if (/\p{Ll}/u.test(all)) pool += 26;
  if (/\p{Lu}/u.test(all)) pool += 26;
  if (/\d/.test(all)) pool += 10;
  if (/[\s\p{P}\p{S}]/u.test(all)) pool += 33;
  if (/[^\p{ASCII}]/u.test(all)) pool += 100;
  const distinct = new Set(chars).size;
  return Math.min(chars.length, distinct * 2) * Math.log2(Math.max(pool, 2));
}

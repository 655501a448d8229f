import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { PASSPHRASE_MAX_CHARS, PASSPHRASE_MIN_CHARS } from './passphrase-limits';

/**
 * The one passphrase estimator (VAULT-01): the core's gate refuses what it calls unacceptable,
 * and the app's meter shows the same verdict while the user types. It is zxcvbn (the
 * `@zxcvbn-ts` port) with the common password lists, keyboard layouts and English words.
 */
export type PassphraseScore = 0 | 1 | 2 | 3 | 4;

export interface PassphraseEstimate {
  acceptable: boolean;
  /** zxcvbn's 0 (too guessable) … 4 (very unguessable); the gate needs MIN_ACCEPTABLE_SCORE. */
  score: PassphraseScore;
  /** log10 of the estimated guesses (for tests and the curious). */
  guessesLog10: number;
  /** Why it is refused; empty when acceptable. Each is one sentence for a person. */
  problems: string[];
  /** One sentence of advice to show under the field. */
  hint: string;
}

/**
 * Score 3 means about 10^8 guesses or more: "safely unguessable" for an offline attack on a
 * slow hash, which is what a copied vault (scrypt) faces. zxcvbn puts some plainly weak
 * passphrases (`Alice Alice`) right at 10^8, so the gate also wants 10^9 estimated guesses.
 */
export const MIN_ACCEPTABLE_SCORE: PassphraseScore = 3;
export const MIN_ACCEPTABLE_GUESSES_LOG10 = 9;
/** Only this many characters are scored (zxcvbn's cost grows fast with length); more only adds. */
export const PASSPHRASE_SCORED_CHARS = 100;

const ADVICE = 'Four or five unrelated words make a strong passphrase that is easy to remember.';

let zxcvbn: ZxcvbnFactory | null = null;

/** Built on first use and kept: the dictionaries are decompressed once per process or page. */
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
    maxLength: PASSPHRASE_SCORED_CHARS,
  });
  return zxcvbn;
}

/** How guessable a new passphrase is, and whether the vault accepts it. Pure; never throws. */
export function estimatePassphrase(passphrase: string, context: { displayName?: string } = {}): PassphraseEstimate {
  const text = passphrase.normalize('NFC');
  const length = [...text].length;
  if (length === 0) return refused(0, 0, 'Enter a passphrase.');
  if (length > PASSPHRASE_MAX_CHARS) return refused(0, 0, `Use at most ${PASSPHRASE_MAX_CHARS} characters.`);
  const scored = [...text].slice(0, PASSPHRASE_SCORED_CHARS).join('');
  const userInputs = context.displayName ? [context.displayName, ...context.displayName.split(/\s+/)].filter((w) => w.length > 0) : [];
  const result: ZxcvbnResult = estimator().check(scored, userInputs);
  const score = result.score as PassphraseScore;
  if (length < PASSPHRASE_MIN_CHARS) return refused(score, result.guessesLog10, `Use at least ${PASSPHRASE_MIN_CHARS} characters (this has ${length}).`);
  if (score < MIN_ACCEPTABLE_SCORE || result.guessesLog10 < MIN_ACCEPTABLE_GUESSES_LOG10) {
    const warning = result.feedback.warning ?? 'It is too easy to guess.';
    return refused(score, result.guessesLog10, sentence(warning));
  }
  return {
    acceptable: true,
    score,
    guessesLog10: result.guessesLog10,
    problems: [],
    hint: score === 4 ? 'Strong passphrase.' : 'Good passphrase. A longer one (more unrelated words) would be stronger.',
  };
}

function refused(score: PassphraseScore, guessesLog10: number, problem: string): PassphraseEstimate {
  return { acceptable: false, score: Math.min(score, MIN_ACCEPTABLE_SCORE - 1) as PassphraseScore, guessesLog10, problems: [problem], hint: `${problem} ${ADVICE}` };
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

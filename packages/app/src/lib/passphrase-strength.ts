import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import type { PassphraseEstimate } from '@discordopus/protocol/passphrase';
import { useEffect, useState } from 'react';

export interface PassphraseHint {
  /** 0 (not accepted) … 4 (strong), for the meter; never above 2 for a passphrase the core refuses. */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  hint: string;
  acceptable: boolean;
}

export type PassphraseEstimator = (passphrase: string, context?: { displayName?: string }) => PassphraseEstimate;

let loading: Promise<PassphraseEstimator> | null = null;

/**
 * The core's own estimator (protocol's zxcvbn), loaded on first use: its dictionaries are a
 * separate chunk, so the window starts without them and fetches them once, when a passphrase
 * field first appears.
 */
export function loadPassphraseEstimator(): Promise<PassphraseEstimator> {
  loading ??= import('@discordopus/protocol/passphrase').then((module) => module.estimatePassphrase);
  return loading;
}

/** The estimator once loaded, null until then (a React hook). */
export function usePassphraseEstimator(): PassphraseEstimator | null {
  const [estimator, setEstimator] = useState<PassphraseEstimator | null>(null);
  useEffect(() => {
    let live = true;
    void loadPassphraseEstimator().then((loaded) => {
      if (live) setEstimator(() => loaded);
    });
    return () => {
      live = false;
    };
  }, []);
  return estimator;
}

const LABELS = ['Too weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

/**
 * A live strength hint while typing: the verdict of the same estimator that the core's vault
 * gate applies (VAULT-01), so the meter never calls a passphrase good that the core refuses.
 */
export function passphraseHint(passphrase: string, estimate: PassphraseEstimator | null, context: { displayName?: string } = {}): PassphraseHint {
  const min = BRIDGE_LIMITS.passphraseMinChars;
  if (passphrase.length === 0) return { score: 0, label: '', hint: `At least ${min} characters. Four or five unrelated words work well.`, acceptable: false };
  if (estimate === null) return { score: 0, label: '', hint: 'Checking…', acceptable: false };
  const result = estimate(passphrase, context);
  const tooShort = [...passphrase.normalize('NFC')].length < min;
  return {
    score: result.score,
    label: tooShort ? 'Too short' : LABELS[result.score],
    hint: result.acceptable ? result.hint : (result.problems[0] ?? result.hint),
    acceptable: result.acceptable,
  };
}

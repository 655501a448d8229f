import { estimatePassphrase, type PassphraseEstimate } from '@discordopus/protocol/passphrase';
import { VaultError } from './vault-error';

/**
 * What a vault passphrase must be (VAULT-01). The vault file can be copied and attacked
 * offline, so a new passphrase must be long enough and hard to guess, as judged by the one
 * estimator in protocol (zxcvbn), the same the app's meter shows. `assertAcceptablePassphrase`
 * is the gate that creating a vault, restoring a backup and changing the passphrase go through.
 */
export { PASSPHRASE_MIN_CHARS as PASSPHRASE_MIN_LENGTH, PASSPHRASE_MAX_CHARS as PASSPHRASE_MAX_LENGTH } from '@discordopus/protocol';

export type PassphraseStrength = PassphraseEstimate;

export function passphraseStrength(passphrase: string, context: { displayName?: string } = {}): PassphraseStrength {
  return estimatePassphrase(passphrase, context);
}

/** Throws WEAK_PASSPHRASE with the first problem found. */
export function assertAcceptablePassphrase(passphrase: string, context: { displayName?: string } = {}): void {
  const strength = estimatePassphrase(passphrase, context);
  if (!strength.acceptable) throw VaultError.weakPassphrase(`This passphrase is too weak: ${strength.problems[0]}`);
}

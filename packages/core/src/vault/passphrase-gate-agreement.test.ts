import { estimatePassphrase } from '@discordopus/protocol/passphrase';
import { passphraseSample } from '@discordopus/test-support/passphrase-samples';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertAcceptablePassphrase } from './passphrase-policy';

function gateAccepts(passphrase: string, displayName: string): boolean {
  try {
    assertAcceptablePassphrase(passphrase, { displayName });
    return true;
  } catch (error) {
    expect(error).toMatchObject({ code: 'WEAK_PASSPHRASE' });
    return false;
  }
}

describe('the vault gate is the shared estimator (VAULT-01)', () => {
  it('refuses exactly what protocol estimatePassphrase (the app meter\'s verdict) refuses', () => {
    fc.assert(
      fc.property(passphraseSample, fc.constantFrom('Alice', 'Bob', 'purple tiger'), (passphrase, displayName) => {
        expect(gateAccepts(passphrase, displayName)).toBe(estimatePassphrase(passphrase, { displayName }).acceptable);
      }),
      // zxcvbn is CPU-heavy (~60 ms a verdict): 30 samples keep this well inside the timeout on a
      // busy 2-core machine (80 timed out at 30 s under load 15).
      { numRuns: 30 },
    );
  }, 120_000);

  it('refuses qwertyuiop12 and accepts a few unrelated words', () => {
    expect(gateAccepts('qwertyuiop12', 'Alice')).toBe(false);
    expect(gateAccepts('violet kestrel orbits nine quiet lanterns', 'Alice')).toBe(true);
  });
});

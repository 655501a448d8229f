import { estimatePassphrase } from '@discordopus/protocol/passphrase';
import { passphraseSample } from '@discordopus/test-support/passphrase-samples';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPassphraseEstimator, passphraseHint } from './passphrase-strength';

describe('the passphrase meter shows the core gate\'s verdict (VAULT-01)', () => {
  it('loads the core\'s own estimator (lazily, once)', async () => {
    const first = loadPassphraseEstimator();
    expect(loadPassphraseEstimator()).toBe(first);
    expect(await first).toBe(estimatePassphrase);
  });

  it('shows qwertyuiop12 as weak and not acceptable', async () => {
    const hint = passphraseHint('qwertyuiop12', await loadPassphraseEstimator());
    expect(hint.acceptable).toBe(false);
    expect(hint.score).toBeLessThan(3);
    expect(hint.label).not.toMatch(/Good|Strong/);
  });

  it('shows a few unrelated words as strong and acceptable', async () => {
    expect(passphraseHint('violet kestrel orbits nine quiet lanterns', await loadPassphraseEstimator())).toMatchObject({ acceptable: true, label: 'Strong', score: 4 });
  });

  it('never says Good or Strong for a passphrase the core refuses (property over a sample)', async () => {
    const estimator = await loadPassphraseEstimator();
    fc.assert(
      fc.property(passphraseSample, fc.constantFrom('', 'Alice', 'purple tiger'), (passphrase, displayName) => {
        const context = displayName === '' ? {} : { displayName };
        const hint = passphraseHint(passphrase, estimator, context);
        const coreAccepts = estimatePassphrase(passphrase, context).acceptable;
        expect(hint.acceptable).toBe(coreAccepts);
        if (!coreAccepts) {
          expect(hint.score).toBeLessThan(3);
          expect(['Good', 'Strong']).not.toContain(hint.label);
        }
      }),
      // zxcvbn is CPU-heavy (~60 ms a verdict): 30 samples keep this well inside the timeout on a
      // busy 2-core machine (80 timed out at 30 s under load 15).
      { numRuns: 30 },
    );
  }, 120_000);

  it('says it is still checking until the estimator has loaded, and never accepts meanwhile', () => {
    expect(passphraseHint('violet kestrel orbits nine quiet lanterns', null)).toMatchObject({ acceptable: false, score: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { assertAcceptablePassphrase, PASSPHRASE_MIN_LENGTH, passphraseStrength } from './passphrase-policy';

describe('passphrase policy (VAULT-01): the shared estimator is the gate', () => {
  it('refuses empty, short, repetitive, sequential and common passphrases, each with its reason', () => {
    const cases: [string, RegExp][] = [
      ['', /Enter a passphrase/],
      ['abc', /at least 10 characters \(this has 3\)/],
      ['zzzzzzzzzzzz', /[Rr]epeat/],
      ['abababababab', /[Rr]epeat/],
      ['1234567890', /./],
      ['qwertyuiop', /./],
      ['qwertyuiop12', /./],
      ['abcdefghijklm', /./],
      ['password123', /common/],
      ['Password2024!', /./],
    ];
    for (const [passphrase, reason] of cases) {
      const strength = passphraseStrength(passphrase);
      expect(strength.acceptable, passphrase).toBe(false);
      expect(strength.score, passphrase).toBeLessThan(3);
      expect(strength.problems.join(' '), passphrase).toMatch(reason);
      expect(strength.hint).toContain(strength.problems[0]);
      expect(() => assertAcceptablePassphrase(passphrase)).toThrow(expect.objectContaining({ code: 'WEAK_PASSPHRASE' }));
    }
  });

  it('counts the display name as known to an attacker', () => {
    expect(passphraseStrength('Alexandra2012', { displayName: 'Alexandra' }).acceptable).toBe(false);
  });

  it('accepts a few unrelated words, and scores longer ones higher', () => {
    const words = passphraseStrength('purple tiger drinks tea');
    expect(words).toMatchObject({ acceptable: true, problems: [] });
    expect(words.score).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('violet kestrel orbits nine quiet lanterns').score).toBe(4);
    expect(() => assertAcceptablePassphrase('violet kestrel orbits nine quiet lanterns')).not.toThrow();
    expect(PASSPHRASE_MIN_LENGTH).toBe(10);
  });

  it('counts characters, not UTF-16 units, and normalises to NFC', () => {
    expect(passphraseStrength('😀'.repeat(5) + 'abcd').problems[0]).toMatch(/this has 9/);
    // 9 × (e + combining acute) + x is 19 code units but 10 characters in NFC: long enough, yet repetitive.
    expect(passphraseStrength('e\u0301'.repeat(9) + 'x').acceptable).toBe(false);
  });

  it('judges a very long passphrase quickly on its first 100 characters, never refusing it for the rest', () => {
    const long = 'violet kestrel orbits nine quiet lanterns '.repeat(20);
    expect(passphraseStrength(long).acceptable).toBe(true);
    expect(passphraseStrength('x'.repeat(1025)).problems[0]).toMatch(/at most 1024/);
  });
});

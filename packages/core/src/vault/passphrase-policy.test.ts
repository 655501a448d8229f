import { describe, expect, it } from 'vitest';
import { assertAcceptablePassphrase, PASSPHRASE_MIN_LENGTH, passphraseStrength } from './passphrase-policy';

describe('passphrase policy (VAULT-01)', () => {
  it('refuses empty, short, repetitive, sequential and common passphrases, each with its reason', () => {
    const cases: [string, RegExp][] = [
      ['', /Enter a passphrase/],
      ['abc', /at least 10 characters \(this has 3\)/],
      ['zzzzzzzzzzzz', /repeats/],
      ['abababababab', /repeats/],
      ['1234567890', /sequence/],
      ['0987654321', /sequence/],
      ['qwertyuiop', /sequence/],
      ['abcdefghijklm', /sequence/],
      ['password123', /attackers try first/],
      ['Password2024!', /attackers try first/],
      ['discordopus!!', /attackers try first/],
    ];
    for (const [passphrase, reason] of cases) {
      const strength = passphraseStrength(passphrase);
      expect(strength.acceptable, passphrase).toBe(false);
      expect(strength.score).toBe(0);
      expect(strength.problems.join(' '), passphrase).toMatch(reason);
      expect(strength.hint).toMatch(reason);
      expect(() => assertAcceptablePassphrase(passphrase)).toThrow(expect.objectContaining({ code: 'WEAK_PASSPHRASE' }));
    }
  });

  it('refuses a passphrase that is mostly the display name', () => {
    expect(passphraseStrength('Alexandra12', { displayName: 'Alexandra' }).problems).toContain('It is mostly your display name.');
    expect(passphraseStrength('Alexandra12', { displayName: 'Bob' }).acceptable).toBe(true);
  });

  it('accepts a few unrelated words, and scores longer and more varied ones higher', () => {
    const weakest = passphraseStrength('xbcdfghjkm');
    expect(weakest.acceptable).toBe(true);
    const words = passphraseStrength('correct horse battery staple');
    expect(words).toMatchObject({ acceptable: true, problems: [] });
    expect(words.score).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('Tr0ub4dor&3 is not my password, really').score).toBe(4);
    expect(weakest.score).toBeLessThan(words.score);
    expect(PASSPHRASE_MIN_LENGTH).toBe(10);
  });

  it('counts characters, not UTF-16 units, and normalises to NFC', () => {
    expect(passphraseStrength('😀'.repeat(5) + 'abcd').problems[0]).toMatch(/this has 9/);
    // 9 × (e + combining acute) + x is 19 code units but 10 characters in NFC: long enough, yet repetitive.
    expect(passphraseStrength('e\u0301'.repeat(9) + 'x').problems).toEqual(['It repeats the same one or two characters.']);
  });
});

import fc from 'fast-check';

/**
 * Passphrases people actually type: words, names, keyboard runs, years and symbols glued
 * together, plus arbitrary text. For property tests that compare the app's meter and the
 * core's gate with the shared estimator (VAULT-01).
 */
const FRAGMENTS = [
  'qwerty', 'qwertyuiop', 'asdf', 'zxcvbn', 'password', 'passphrase', 'letmein', 'dragon', 'monkey', 'alice', 'bob',
  'purple', 'tiger', 'drinks', 'tea', 'correct', 'horse', 'battery', 'staple', 'violet', 'kestrel', 'lantern',
  '123', '1234', '12', '2024', '1999', '!', '?', '#', ' ', '-', '_', 'A', 'Z9', 'x', 'Ω', '😀',
];

export const passphraseSample: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 7 }).map((parts) => parts.join('')),
  fc.string({ minLength: 0, maxLength: 40 }),
);

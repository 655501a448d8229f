import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintDigits, formatSafetyNumber, safetyNumber } from './safety-number';

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
const twoDistinctKeys = fc.tuple(key, key).filter(([a, b]) => a.some((x, i) => x !== b[i]));

describe('safety number (CONT-05)', () => {
  it('CONT-05: is 60 digits in 12 groups of 5', () => {
    const n = safetyNumber(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    expect(n).toMatch(/^\d{60}$/);
    const groups = formatSafetyNumber(n);
    expect(groups).toHaveLength(12);
    expect(groups.join('')).toBe(n);
  });

  it('CONT-05: both sides compute the same number, whatever the order', () => {
    fc.assert(fc.property(key, key, (a, b) => safetyNumber(a, b) === safetyNumber(b, a)), { numRuns: 15 });
  });

  it('CONT-05: changes when either key changes', () => {
    fc.assert(
      fc.property(twoDistinctKeys, key, ([a, a2], b) => {
        expect(safetyNumber(a, b)).not.toBe(safetyNumber(a2, b));
        expect(safetyNumber(b, a)).not.toBe(safetyNumber(b, a2));
      }),
      { numRuns: 10 },
    );
  });

  it('CONT-05: a one-bit change in a key changes its half of the digits', () => {
    const a = new Uint8Array(32).fill(9);
    const flipped = Uint8Array.from(a);
    flipped[31] = (flipped[31] as number) ^ 1;
    expect(fingerprintDigits(a)).not.toBe(fingerprintDigits(flipped));
  });
});

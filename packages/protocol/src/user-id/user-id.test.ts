import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUserId, encodeUserId, isUserId, USER_ID_LENGTH, USER_ID_PREFIX } from './user-id';
import { UserIdError } from './user-id-error';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const key = fc.uint8Array({ minLength: 32, maxLength: 32 });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserIdError) return err.code;
    throw err;
  }
  return 'ACCEPTED';
}

describe('user ID codec (IDEN-02)', () => {
  it('IDEN-02: round-trips every random public key', () => {
    fc.assert(
      fc.property(key, (pk) => {
        const id = encodeUserId(pk);
        expect(id).toHaveLength(USER_ID_LENGTH);
        expect(id.startsWith(`${USER_ID_PREFIX}1`)).toBe(true);
        expect(decodeUserId(id)).toEqual(pk);
        expect(decodeUserId(id.toUpperCase())).toEqual(pk);
        expect(decodeUserId(`  ${id}\n`)).toEqual(pk);
      }),
      { numRuns: 300 },
    );
  });

  it('IDEN-02: rejects every single-character substitution of a valid ID', () => {
    fc.assert(
      fc.property(key, (pk) => {
        const id = encodeUserId(pk);
        // Every position, every replacement from the alphabet, the digit 1 and a few look-alikes.
        const replacements = `${CHARSET}1bio`;
        for (let pos = 0; pos < id.length; pos++) {
          for (const ch of replacements) {
            if (ch === id[pos]) continue;
            const mutated = id.slice(0, pos) + ch + id.slice(pos + 1);
            const code = codeOf(() => decodeUserId(mutated));
            expect(code, `${mutated} was accepted`).not.toBe('ACCEPTED');
          }
        }
      }),
      { numRuns: 8 },
    );
  });

  it('IDEN-02: rejects every adjacent transposition of a valid ID', () => {
    fc.assert(
      fc.property(key, (pk) => {
        const id = encodeUserId(pk);
        for (let pos = 0; pos + 1 < id.length; pos++) {
          if (id[pos] === id[pos + 1]) continue;
          const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
          expect(isUserId(swapped), `${swapped} was accepted`).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('IDEN-02: names the problem: empty, prefix, character, case, length, checksum', () => {
    const id = encodeUserId(new Uint8Array(32).fill(7));
    expect(codeOf(() => decodeUserId('   '))).toBe('USER_ID_EMPTY');
    expect(codeOf(() => decodeUserId(`bc1${id.slice(6)}`))).toBe('USER_ID_BAD_PREFIX');
    expect(codeOf(() => decodeUserId('no separator here'))).toBe('USER_ID_BAD_PREFIX');
    expect(codeOf(() => decodeUserId(`${id.slice(0, 10)}b${id.slice(11)}`))).toBe('USER_ID_BAD_CHARACTER');
    expect(codeOf(() => decodeUserId(`${id.slice(0, 10)}${id.slice(10).toUpperCase()}`))).toBe('USER_ID_MIXED_CASE');
    expect(codeOf(() => decodeUserId(id.slice(0, -1)))).toBe('USER_ID_BAD_LENGTH');
    expect(codeOf(() => decodeUserId(`${id}q`))).toBe('USER_ID_BAD_LENGTH');
    const last = id.at(-1) === 'q' ? 'p' : 'q';
    expect(codeOf(() => decodeUserId(id.slice(0, -1) + last))).toBe('USER_ID_BAD_CHECKSUM');
  });

  it('IDEN-02: the error message is a sentence a person can act on', () => {
    const id = encodeUserId(new Uint8Array(32).fill(1));
    expect(() => decodeUserId(id.slice(0, 40))).toThrow(/too short/);
  });

  it('IDEN-02: refuses to encode a key of the wrong size', () => {
    expect(() => encodeUserId(new Uint8Array(31))).toThrow(RangeError);
  });
});

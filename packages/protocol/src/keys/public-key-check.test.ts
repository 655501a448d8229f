import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../encoding/bytes';
import { isUsablePublicKey, publicKeyProblem } from './public-key-check';
import { SMALL_ORDER_KEYS, smallOrderAliases } from './small-order-keys';

const P = 2n ** 255n - 19n;

function encode(y: bigint, sign: 0 | 1): Uint8Array {
  const out = new Uint8Array(32);
  let v = y;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (sign) out[31] = (out[31] as number) | 0x80;
  return out;
}

/** noble's strict (RFC 8032) reading of the same bytes: the reference the check must agree with. */
function nobleVerdict(key: Uint8Array): 'rejected' | 'small_order' | 'ok' {
  let point;
  try {
    point = ed25519.Point.fromBytes(key, false);
  } catch {
    return 'rejected';
  }
  return point.isSmallOrder() ? 'small_order' : 'ok';
}

describe('publicKeyProblem (INFR-04, IDEN-01)', () => {
  it('INFR-04: refuses all eight small-order points', () => {
    expect(SMALL_ORDER_KEYS).toHaveLength(8);
    for (const hex of SMALL_ORDER_KEYS) {
      expect(nobleVerdict(hexToBytes(hex)), hex).toBe('small_order');
      expect(publicKeyProblem(hexToBytes(hex)), hex).toBe('small_order');
    }
  });

  it('INFR-04: refuses every non-canonical alias of a small-order point (y ≥ p, x = 0 with the sign bit)', () => {
    const aliases = smallOrderAliases();
    expect(aliases.length).toBeGreaterThanOrEqual(6);
    for (const hex of aliases) {
      expect(publicKeyProblem(hexToBytes(hex)), hex).toBe('non_canonical');
      // ZIP-215 readers (lenient) would take them as small-order points: that is why they matter.
      expect(ed25519.Point.fromBytes(hexToBytes(hex), true).isSmallOrder(), hex).toBe(true);
    }
    // The ones the tracker issue names.
    expect(publicKeyProblem(encode(1n, 0))).toBe('small_order'); // 01 00..00, the identity
    expect(publicKeyProblem(encode(1n, 1))).toBe('non_canonical'); // the identity with the sign bit set
    expect(publicKeyProblem(encode(P + 1n, 0))).toBe('non_canonical'); // y = p + 1
    expect(publicKeyProblem(encode(P, 0))).toBe('non_canonical'); // y = p (the alias of y = 0)
  });

  it('INFR-04: every y ≥ p is refused, whatever the sign bit', () => {
    for (let k = 0n; k < 19n; k++) {
      for (const sign of [0, 1] as const) expect(publicKeyProblem(encode(P + k, sign))).toBe('non_canonical');
    }
  });

  it('INFR-04: a y with no point on the curve is refused, and the wrong length too', () => {
    expect(publicKeyProblem(encode(2n, 0))).toBe('not_on_curve');
    expect(nobleVerdict(encode(2n, 0))).toBe('rejected');
    expect(publicKeyProblem(new Uint8Array(31))).toBe('wrong_length');
    expect(publicKeyProblem(new Uint8Array(33))).toBe('wrong_length');
  });

  it('IDEN-01: real public keys are accepted', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const key = ed25519.getPublicKey(seed);
        expect(publicKeyProblem(key)).toBeNull();
        expect(isUsablePublicKey(key)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('INFR-04: the check without the curve test gives the same answer, except that it lets a y off the curve through', () => {
    const same = (key: Uint8Array): void => {
      const full = publicKeyProblem(key);
      const cheap = publicKeyProblem(key, 'without-curve');
      expect(cheap, bytesToHex(key)).toBe(full === 'not_on_curve' ? null : full);
    };
    for (const hex of [...SMALL_ORDER_KEYS, ...smallOrderAliases()]) same(hexToBytes(hex));
    for (let k = 0n; k < 19n; k++) for (const sign of [0, 1] as const) same(encode(P + k, sign));
    for (const y of [0n, 1n, 2n, P - 1n, P - 2n]) for (const sign of [0, 1] as const) same(encode(y, sign));
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => same(key)), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => same(ed25519.getPublicKey(seed))), { numRuns: 100 });
  });

  it('INFR-04: agrees with a strict RFC 8032 decoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const problem = publicKeyProblem(key);
        const reference = nobleVerdict(key);
        if (reference === 'ok') expect(problem).toBeNull();
        else if (reference === 'small_order') expect(problem).toBe('small_order');
        else expect(['non_canonical', 'not_on_curve']).toContain(problem);
      }),
      { numRuns: 500 },
    );
  });
});

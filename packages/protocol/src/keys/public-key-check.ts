/**
 * Which Ed25519 public keys may name a user (PROTOCOL.md §1, INFR-04).
 *
 * A key is accepted only if it is the canonical encoding (RFC 8032 §5.1.3) of a point on the
 * curve that is not of small order. Small-order keys (the identity, the point of order 2, the
 * two of order 4 and the four of order 8) and their non-canonical aliases must be refused:
 * with such a key the "signature" R = identity, S = 0 verifies for every message under the
 * cofactorless equation, so anyone could log in as that key without a private key.
 *
 * Pure BigInt arithmetic, no `node:*`: the same rule runs on the server and in the client.
 * Cost: one field exponentiation (~0.1 ms) for the full check; a few microseconds without the
 * curve check.
 */

const P = 2n ** 255n - 19n;
/** d = -121665 / 121666 mod p. */
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;
/** sqrt(-1) mod p = 2^((p-1)/4). */
const SQRT_M1 = 19681161376707505956807079304988542015446066515923890162744021073123829784752n;

export const PUBLIC_KEY_PROBLEMS = ['wrong_length', 'non_canonical', 'not_on_curve', 'small_order'] as const;
export type PublicKeyProblem = (typeof PUBLIC_KEY_PROBLEMS)[number];

/**
 * `full`: every rule. `without-curve`: every rule but "on the curve", which is the one that
 * needs a field exponentiation; exact for the others (see `publicKeyProblem`). For lists of
 * keys that cannot log anyone in by themselves (a `contacts.set` of 5 000 entries would cost
 * ~0.5 s of CPU in full): a key off the curve never passes a login, so it names nobody.
 */
export type PublicKeyCheck = 'full' | 'without-curve';

/**
 * The y coordinates of the eight small-order points: 1 (the identity), p − 1 (order 2), 0 (the
 * two of order 4) and ±Y8 (the four of order 8). Every point with one of these y is on the
 * curve and of small order, and every small-order point has one.
 */
const Y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const SMALL_ORDER_Y: ReadonlySet<bigint> = new Set([1n, P - 1n, 0n, Y8, P - Y8]);

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

/** x^(2^k): k squarings. */
function pow2(x: bigint, k: number): bigint {
  let r = x;
  for (let i = 0; i < k; i++) r = (r * r) % P;
  return r;
}

/**
 * x^((p-5)/8) = x^(2^252 - 3) by the usual addition chain (ref10's pow22523): 252 squarings and
 * 11 multiplications instead of ~250 of each by plain square-and-multiply.
 */
function powP58(x: bigint): bigint {
  const x2 = (x * x) % P;
  const b2 = (x2 * x) % P; // x^(2^2 - 1)
  const b4 = (pow2(b2, 2) * b2) % P; // x^(2^4 - 1)
  const b5 = (pow2(b4, 1) * x) % P; // x^(2^5 - 1)
  const b10 = (pow2(b5, 5) * b5) % P;
  const b20 = (pow2(b10, 10) * b10) % P;
  const b40 = (pow2(b20, 20) * b20) % P;
  const b80 = (pow2(b40, 40) * b40) % P;
  const b160 = (pow2(b80, 80) * b80) % P;
  const b240 = (pow2(b160, 80) * b80) % P;
  const b250 = (pow2(b240, 10) * b10) % P; // x^(2^250 - 1)
  return (pow2(b250, 2) * x) % P; // x^(2^252 - 3)
}

/** Doubling in projective coordinates on -x² + y² = 1 + d·x²·y² (dbl-2008-hwcd, a = -1). */
function double(x: bigint, y: bigint, z: bigint): [bigint, bigint, bigint] {
  const a = (x * x) % P;
  const b = (y * y) % P;
  const c = (2n * z * z) % P;
  const dd = mod(-a);
  const e = mod((x + y) * (x + y) - a - b);
  const g = mod(dd + b);
  const f = mod(g - c);
  const h = mod(dd - b);
  return [(e * f) % P, (g * h) % P, (f * g) % P];
}

/**
 * Why `key` cannot name a user, or null when it can. Never throws. With `without-curve`, null
 * also for a y that has no point on the curve (`not_on_curve` is never returned).
 *
 * - `wrong_length`: not 32 bytes;
 * - `non_canonical`: y ≥ p, or x = 0 with the sign bit set (another spelling of a point);
 * - `not_on_curve`: no x satisfies the curve equation for this y;
 * - `small_order`: 8·P is the identity.
 */
export function publicKeyProblem(key: Uint8Array, check: PublicKeyCheck = 'full'): PublicKeyProblem | null {
  if (key.length !== 32) return 'wrong_length';
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(key[i] as number);
  const sign = y >> 255n;
  y &= (1n << 255n) - 1n;
  if (y >= P) return 'non_canonical';
  if (check === 'without-curve') {
    // x = 0 exactly when y² = 1; with the sign bit set that is another spelling of the point.
    if ((y === 1n || y === P - 1n) && sign === 1n) return 'non_canonical';
    return SMALL_ORDER_Y.has(y) ? 'small_order' : null;
  }

  // RFC 8032 §5.1.3 step 2-3: x² = u / v, x = u·v³·(u·v⁷)^((p-5)/8).
  const y2 = (y * y) % P;
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  const v3 = (v * v * v) % P;
  let x = (u * v3 * powP58((u * v3 * ((v3 * v) % P)) % P)) % P;
  const vx2 = (v * x * x) % P;
  if (vx2 === u) {
    // x is a root
  } else if (vx2 === mod(-u)) {
    x = (x * SQRT_M1) % P;
  } else {
    return 'not_on_curve';
  }
  // Step 4.
  if (x === 0n && sign === 1n) return 'non_canonical';
  if ((x & 1n) !== sign) x = P - x;

  let point: [bigint, bigint, bigint] = [x, y, 1n];
  for (let i = 0; i < 3; i++) point = double(...point);
  const [x8, y8, z8] = point;
  if (x8 === 0n && y8 === z8) return 'small_order';
  return null;
}

/** True when `key` is the canonical encoding of a point of large order on the curve. */
export function isUsablePublicKey(key: Uint8Array): boolean {
  return publicKeyProblem(key) === null;
}

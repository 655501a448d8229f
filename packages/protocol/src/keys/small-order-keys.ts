/**
 * The eight small-order points of edwards25519 in their canonical encodings (hex), and the
 * non-canonical spellings of them. Used by tests on both sides of the wire to prove that no
 * such key is ever accepted (INFR-04); the check itself does not use this list.
 */
export const SMALL_ORDER_KEYS: readonly string[] = [
  // order 1: the identity (0, 1)
  '0100000000000000000000000000000000000000000000000000000000000000',
  // order 2: (0, -1)
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // order 4: (±sqrt(-1), 0)
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];

const P = 2n ** 255n - 19n;

function toHex(y: bigint, sign: boolean): string {
  const bytes: number[] = [];
  let v = y;
  for (let i = 0; i < 32; i++) {
    bytes.push(Number(v & 0xffn));
    v >>= 8n;
  }
  if (sign) bytes[31] = (bytes[31] as number) | 0x80;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Every other 32-byte string a lenient (ZIP-215) decoder reads as a small-order point: the
 * identity and (0, -1) with the sign bit set, and y + p for the small-order y below 19
 * (y = 0 and y = 1), with either sign bit.
 */
export function smallOrderAliases(): string[] {
  return [
    toHex(1n, true), // identity, sign bit set
    toHex(P - 1n, true), // (0, -1), sign bit set
    toHex(P, false), // y = p ≡ 0
    toHex(P, true),
    toHex(P + 1n, false), // y = p + 1 ≡ 1
    toHex(P + 1n, true),
  ];
}

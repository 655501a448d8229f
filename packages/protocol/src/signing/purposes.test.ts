import { describe, expect, it } from 'vitest';
import { CanonicalWriter } from './canonical-writer';
import { authProofBody, SIGNING_PURPOSES, signingInput } from './purposes';

describe('signed bytes (IDEN-01, INFR-04)', () => {
  it('every purpose prefix is distinct and versioned', () => {
    const prefixes = Object.values(SIGNING_PURPOSES);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) expect(p).toMatch(/^discordopus\/v\d+\/[a-z-]+$/);
  });

  it('the same body signed for two purposes gives different input bytes', () => {
    const body = Uint8Array.of(1, 2, 3);
    expect(signingInput('auth', body)).not.toEqual(signingInput('signal', body));
  });

  it('length prefixes keep field boundaries unambiguous', () => {
    const ab = new CanonicalWriter().text('ab').text('c').finish();
    const a = new CanonicalWriter().text('a').text('bc').finish();
    expect(ab).not.toEqual(a);
  });

  it('the auth body binds every field', () => {
    const base = {
      protocolVersion: 1,
      serverId: 'wss://chat.example',
      nonce: new Uint8Array(32).fill(3),
      timestampMs: 1_700_000_000_000,
      clientPublicKey: new Uint8Array(32).fill(4),
    };
    const ref = authProofBody(base);
    const variants = [
      { ...base, protocolVersion: 2 },
      { ...base, serverId: 'wss://other.example' },
      { ...base, nonce: new Uint8Array(32).fill(5) },
      { ...base, timestampMs: base.timestampMs + 1 },
      { ...base, clientPublicKey: new Uint8Array(32).fill(6) },
    ];
    for (const v of variants) expect(authProofBody(v)).not.toEqual(ref);
  });

  it('rejects out-of-range integers instead of wrapping them', () => {
    expect(() => new CanonicalWriter().u16(70_000)).toThrow(RangeError);
    expect(() => new CanonicalWriter().u64(-1)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VALID_FRAMES } from './frame-examples.test-helper';
import { MAX_PEER_FRAME_BYTES, PEER_LIMITS } from './limits';
import { parseLinkSignalBody, parsePeerFrame, PEER_PARSE_ERROR_CODES, type PeerParseResult } from './parse';
import { peerFrameSchema } from './peer-frames';

/**
 * Fuzzing the peer-frame parser (P2P-01): whatever a peer sends, parsing returns a result and
 * never throws; what it accepts satisfies the schema; what is too big is refused undecoded.
 */
function wellFormed(result: PeerParseResult<unknown>): boolean {
  if (result.ok) return peerFrameSchema.safeParse(result.frame).success;
  return PEER_PARSE_ERROR_CODES.includes(result.code) && Array.isArray(result.issues);
}

const seed = fc.constantFrom(...VALID_FRAMES).map((f) => ({ ...f }) as Record<string, unknown>);
const knownKeys = ['type', 'version', 'linkId', 'signature', 'nonce', 'sentAtMs', 'displayName', 'updatedAtMs', 'reason', 'code', '__proto__', 'constructor'];

/** A valid frame with one structural mutation. */
const mutatedObject = fc.oneof(
  fc.tuple(seed, fc.constantFrom(...knownKeys)).map(([f, k]) => {
    delete f[k];
    return f;
  }),
  fc.tuple(seed, fc.constantFrom(...knownKeys), fc.anything()).map(([f, k, v]) => ({ ...f, [k]: v })),
  fc.tuple(seed, fc.string({ maxLength: 12 }), fc.jsonValue()).map(([f, k, v]) => ({ ...f, [k]: v })),
  fc.tuple(seed, fc.constantFrom(...VALID_FRAMES.map((v) => v.type), 'link.hello ', 'LINK.PING', '', 'profile')).map(([f, t]) => ({ ...f, type: t })),
);

/** A valid frame's text with bytes cut, inserted or changed. */
const mutatedText = fc
  .tuple(seed, fc.nat(), fc.nat(), fc.string({ maxLength: 4 }), fc.constantFrom('cut', 'insert', 'replace'))
  .map(([f, a, b, s, op]) => {
    const text = JSON.stringify(f);
    const i = a % (text.length + 1);
    const j = Math.min(text.length, i + (b % 8));
    if (op === 'cut') return text.slice(0, i) + text.slice(j);
    if (op === 'insert') return text.slice(0, i) + s + text.slice(i);
    return text.slice(0, i) + s + text.slice(j);
  });

describe('peer frame fuzzing (P2P-01)', () => {
  it('P2P-01: random JSON values, random text and random bytes never make the parser throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), fc.string(), fc.string({ unit: 'binary' })), (text) => {
        expect(wellFormed(parsePeerFrame(text))).toBe(true);
        expect(wellFormed(parseLinkSignalBody(text))).toBe(true);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        expect(wellFormed(parsePeerFrame(bytes))).toBe(true);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(wellFormed(parsePeerFrame(value))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('P2P-01: mutated valid frames never throw; whatever is still accepted is a valid frame', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(mutatedObject.map((o) => JSON.stringify(o) ?? 'null'), mutatedText), (text) => {
        const result = parsePeerFrame(text);
        expect(wellFormed(result)).toBe(true);
        if (result.ok) accepted++;
        else refused++;
      }),
      { numRuns: 600 },
    );
    // The mutations hit both sides of the schema (a fuzz that is always refused tests little).
    expect(refused).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  });

  it('P2P-01: deeply nested JSON just under the limit is refused, not a stack overflow', () => {
    const depth = Math.floor((MAX_PEER_FRAME_BYTES - 64) / 2);
    const nested = '['.repeat(depth) + ']'.repeat(depth);
    const inField = `{"type":"link.close","reason":${'['.repeat(depth - 40)}${']'.repeat(depth - 40)}}`;
    for (const text of [nested, inField, inField.slice(0, -1)]) {
      const result = parsePeerFrame(text);
      expect(result.ok).toBe(false);
      expect(wellFormed(result)).toBe(true);
    }
  });

  it('P2P-01: anything over the byte limit is TOO_LARGE, whatever it contains', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID_FRAMES), fc.integer({ min: 1, max: 4096 }), fc.constantFrom('a', 'é', '€', '🎸'), (frame, extra, unit) => {
        const text = JSON.stringify(frame);
        const unitBytes = new TextEncoder().encode(unit).length;
        const padding = unit.repeat(Math.ceil((MAX_PEER_FRAME_BYTES - text.length + extra) / unitBytes));
        const big = `${text.slice(0, -1)},"pad":"${padding}"}`;
        expect(parsePeerFrame(big)).toEqual({ ok: false, code: 'TOO_LARGE', issues: [], type: null });
        expect(parsePeerFrame(new TextEncoder().encode(big))).toEqual({ ok: false, code: 'TOO_LARGE', issues: [], type: null });
      }),
      { numRuns: 30 },
    );
    expect(parseLinkSignalBody('{'.repeat(PEER_LIMITS.maxLinkSignalBodyBytes + 1))).toMatchObject({ code: 'TOO_LARGE' });
  });
});

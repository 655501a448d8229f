import { describe, expect, it } from 'vitest';
import { MAX_PEER_FRAME_BYTES, PEER_LIMITS } from './limits';
import { encodeLinkSignalBody, encodePeerFrame, parseLinkSignalBody, parsePeerFrame, validatePeerFrame } from './parse';
import { VALID_FRAMES } from './frame-examples.test-helper';
import { CALL_FRAME_TYPES } from '../calls/call-frames';
import { PEER_FRAME_TYPES, isCallPeerFrame, type PeerFrame } from './peer-frames';
import { sdpFingerprint } from './primitives';

const SIG = 'A'.repeat(85) + 'w';
const FP = { algorithm: 'sha-256' as const, value: Array(32).fill('0F').join(':') };

describe('peer frames (P2P-01, P2P-02, P2P-05)', () => {
  it('P2P-01: one valid example of every frame type parses, from text and from bytes, and encodes back', () => {
    expect(VALID_FRAMES.map((f) => f.type).sort()).toEqual([...PEER_FRAME_TYPES].sort());
    for (const frame of VALID_FRAMES) {
      const text = encodePeerFrame(frame);
      expect(parsePeerFrame(text)).toEqual({ ok: true, frame });
      expect(parsePeerFrame(new TextEncoder().encode(text))).toEqual({ ok: true, frame });
      expect(parsePeerFrame(new TextEncoder().encode(text).buffer)).toEqual({ ok: true, frame });
    }
  });

  it('P2P-01: an unknown type is UNKNOWN_TYPE (a newer peer), a known type that breaks its schema is BAD_FRAME with every path', () => {
    expect(parsePeerFrame('{"type":"future.thing","size":3}')).toEqual({ ok: false, code: 'UNKNOWN_TYPE', issues: [], type: 'future.thing' });
    const bad = parsePeerFrame(JSON.stringify({ type: 'link.hello', version: 0, linkId: 'x', signature: SIG, extra: 1 }));
    expect(bad).toMatchObject({ ok: false, code: 'BAD_FRAME', type: 'link.hello' });
    const paths = bad.ok ? [] : bad.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['version', 'linkId', '']));
    expect(parsePeerFrame('{"type":"link.close","reason":"because"}')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(parsePeerFrame('{"no":"type"}')).toMatchObject({ ok: false, code: 'BAD_FRAME', type: null });
    expect(parsePeerFrame('[]')).toMatchObject({ ok: false, code: 'BAD_FRAME', type: null });
    expect(parsePeerFrame(`{"type":"${'x'.repeat(500)}"}`)).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE', type: 'x'.repeat(64) });
  });

  it('VOICE-02: call frames are application frames on the link; a malformed one is BAD_FRAME with its paths, never quoting the SDP', () => {
    const callFrames = VALID_FRAMES.filter(isCallPeerFrame);
    expect(callFrames.map((f) => f.type).sort()).toEqual([...CALL_FRAME_TYPES].sort());
    expect(VALID_FRAMES.filter((f) => !isCallPeerFrame(f)).some((f) => f.type.startsWith('call.'))).toBe(false);
    const bad = parsePeerFrame(JSON.stringify({ type: 'call.accept', callId: 'short', fingerprint: 'sha-1 00', sdp: 'secret-sdp' }));
    expect(bad).toMatchObject({ ok: false, code: 'BAD_FRAME', type: 'call.accept' });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path).sort()).toEqual(['callId', 'fingerprint', 'sdp']);
    expect(JSON.stringify(bad)).not.toContain('secret-sdp');
    expect(parsePeerFrame('{"type":"call.transfer"}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE', type: 'call.transfer' });
  });

  it('P2P-01: text that is not JSON, bytes that are not UTF-8 and values that are neither are refused', () => {
    expect(parsePeerFrame('{"type":')).toEqual({ ok: false, code: 'INVALID_JSON', issues: [], type: null });
    expect(parsePeerFrame(Uint8Array.of(0x7b, 0xff, 0x7d))).toEqual({ ok: false, code: 'BAD_ENCODING', issues: [], type: null });
    for (const value of [42, null, undefined, { type: 'link.ping' }, ['x']]) {
      expect(parsePeerFrame(value)).toMatchObject({ ok: false, code: 'BAD_ENCODING' });
    }
    // An already-decoded value goes through validatePeerFrame instead.
    expect(validatePeerFrame({ type: 'link.close', reason: 'idle' })).toEqual({ ok: true, frame: { type: 'link.close', reason: 'idle' } });
  });

  it('P2P-01: a frame over MAX_PEER_FRAME_BYTES is TOO_LARGE before any decoding, counted in UTF-8 bytes', () => {
    const pad = (n: number) => `{"type":"link.close","reason":"idle","x":"${'a'.repeat(n)}"}`;
    const overhead = pad(0).length;
    expect(parsePeerFrame(pad(MAX_PEER_FRAME_BYTES - overhead))).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(parsePeerFrame(pad(MAX_PEER_FRAME_BYTES - overhead + 1))).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    expect(parsePeerFrame(new Uint8Array(MAX_PEER_FRAME_BYTES + 1))).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    // 30 000 characters of 3-byte UTF-8 are 90 000 bytes: over, although fewer characters than the limit.
    expect(parsePeerFrame(`"${'€'.repeat(30_000)}"`)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
  });

  it('MSG-01: the largest legal message.send (4,000 code points of what JSON escapes longest) fits a peer frame and parses', () => {
    const send = VALID_FRAMES.find((f) => f.type === 'message.send') as PeerFrame;
    // \u0001 and a lone surrogate become 6 bytes each in JSON; an astral emoji is 4 bytes of UTF-8; quotes and backslashes 2.
    for (const unit of ['\u0001', '\ud800', '😀', '"', '\\']) {
      const frame = { ...send, text: unit.repeat(4000), replyTo: (send as { id: string }).id, editedAt: Number.MAX_SAFE_INTEGER } as PeerFrame;
      const text = encodePeerFrame(frame);
      expect(new TextEncoder().encode(text).length).toBeLessThan(MAX_PEER_FRAME_BYTES / 2);
      expect(parsePeerFrame(text)).toEqual({ ok: true, frame });
    }
    // One code point more is refused by the message schema (BAD_FRAME), not by the byte limit.
    expect(parsePeerFrame(encodePeerFrame({ ...send, text: 'x'.repeat(4001) } as PeerFrame))).toMatchObject({ ok: false, code: 'BAD_FRAME' });
  });

  it('P2P-05: a display name over 64 characters or empty is refused by the frame schema', () => {
    const card = VALID_FRAMES[3] as PeerFrame;
    expect(parsePeerFrame(JSON.stringify({ ...card, displayName: '' }))).toMatchObject({ code: 'BAD_FRAME' });
    expect(parsePeerFrame(JSON.stringify({ ...card, displayName: '🎸'.repeat(65) }))).toMatchObject({ code: 'BAD_FRAME' });
    expect(parsePeerFrame(JSON.stringify({ ...card, displayName: '🎸'.repeat(64) })).ok).toBe(true);
  });
});

describe('sealed set-up bodies (P2P-04)', () => {
  const offer = { type: 'link.offer', sdp: 'v=0\r\na=fingerprint:sha-256 ' + FP.value + '\r\n', fingerprint: FP } as const;

  it('P2P-04: every body type parses and encodes back', () => {
    const bodies = [
      offer,
      { ...offer, type: 'link.answer' as const },
      { type: 'link.candidates' as const, candidates: [{ candidate: 'candidate:1 1 UDP 1 127.0.0.1 5000 typ host', mid: '0' }] },
      { type: 'link.bye' as const, reason: 'glare' as const },
    ];
    for (const body of bodies) expect(parseLinkSignalBody(encodeLinkSignalBody(body))).toEqual({ ok: true, frame: body });
  });

  it('P2P-04: non-ASCII SDP, too many or empty candidates, lower-case or short fingerprints, unknown fields are refused', () => {
    const refused = (body: unknown) => parseLinkSignalBody(JSON.stringify(body));
    expect(refused({ ...offer, sdp: 'v=0 ü' })).toMatchObject({ code: 'BAD_FRAME' });
    expect(refused({ ...offer, fingerprint: { ...FP, value: FP.value.toLowerCase() } })).toMatchObject({ code: 'BAD_FRAME' });
    expect(refused({ ...offer, fingerprint: { algorithm: 'sha-256', value: '0F:0F' } })).toMatchObject({ code: 'BAD_FRAME' });
    expect(refused({ ...offer, fingerprint: { ...FP, algorithm: 'md5' } })).toMatchObject({ code: 'BAD_FRAME' });
    expect(refused({ ...offer, ip: '192.0.2.1' })).toMatchObject({ code: 'BAD_FRAME' });
    const candidate = { candidate: 'candidate:1', mid: '0' };
    expect(refused({ type: 'link.candidates', candidates: [] })).toMatchObject({ code: 'BAD_FRAME' });
    expect(refused({ type: 'link.candidates', candidates: Array(PEER_LIMITS.maxCandidatesPerMessage + 1).fill(candidate) })).toMatchObject({ code: 'BAD_FRAME' });
    expect(refused({ type: 'link.candidates', candidates: [{ candidate: 'a\nb', mid: '0' }] })).toMatchObject({ code: 'BAD_FRAME' });
    expect(parseLinkSignalBody('x'.repeat(PEER_LIMITS.maxLinkSignalBodyBytes + 1))).toMatchObject({ code: 'TOO_LARGE' });
  });

  it("P2P-02: sdpFingerprint reads the one a=fingerprint, normalised; none or two different ones give null", () => {
    expect(sdpFingerprint(`v=0\r\na=fingerprint:SHA-256 ${FP.value.toLowerCase()}\r\n`)).toEqual(FP);
    expect(sdpFingerprint(`a=fingerprint:sha-256 ${FP.value}\r\na=fingerprint:sha-256 ${FP.value}\r\n`)).toEqual(FP);
    expect(sdpFingerprint('v=0\r\n')).toBeNull();
    const other = Array(32).fill('AA').join(':');
    expect(sdpFingerprint(`a=fingerprint:sha-256 ${FP.value}\r\na=fingerprint:sha-256 ${other}\r\n`)).toBeNull();
    expect(sdpFingerprint(`a=fingerprint:md5 ${Array(16).fill('AA').join(':')}\r\n`)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { bytesToBase64url } from '../encoding/bytes';
import { CALL_LIMITS, encodeCallFrame, parseCallFrame, type CallFrame } from './index';

const callId = bytesToBase64url(new Uint8Array(16).fill(3));
const fingerprint = `sha-256 ${Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null };

describe('call frames (VOICE-01..04, PROTOCOL.md §9)', () => {
  it('VOICE-01: every call frame type round-trips through its JSON text', () => {
    const frames: CallFrame[] = [
      { type: 'call.invite', callId, fingerprint, sdp },
      { type: 'call.ringing', callId },
      { type: 'call.accept', callId, fingerprint, sdp },
      { type: 'call.decline', callId, reason: 'declined' },
      { type: 'call.decline', callId, reason: 'busy' },
      { type: 'call.candidates', callId, candidates: [candidate, { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null }] },
      { type: 'call.hangup', callId, reason: 'peer-lost' },
      { type: 'call.restart', callId, kind: 'offer', sdp },
      { type: 'call.cancel', callId, reason: 'timeout' },
    ];
    for (const frame of frames) expect(parseCallFrame(encodeCallFrame(frame))).toEqual({ ok: true, frame });
  });

  it('VOICE-02: oversized SDPs, batches and frames are refused as "oversized"', () => {
    const bigSdp = sdp + 'a=x\r\n'.repeat(CALL_LIMITS.maxSdpChars / 5);
    expect(parseCallFrame({ type: 'call.invite', callId, fingerprint, sdp: bigSdp })).toMatchObject({ ok: false, problem: 'oversized' });
    const batch = Array.from({ length: CALL_LIMITS.maxCandidatesPerFrame + 1 }, () => candidate);
    expect(parseCallFrame({ type: 'call.candidates', callId, candidates: batch })).toMatchObject({ ok: false, problem: 'oversized' });
    const huge = JSON.stringify({ type: 'call.ringing', callId, pad: 'x'.repeat(CALL_LIMITS.maxFrameBytes) });
    expect(parseCallFrame(huge)).toMatchObject({ ok: false, problem: 'oversized', type: null });
  });

  it('VOICE-02: malformed frames are refused with every failing path and no SDP in the message, never thrown', () => {
    expect(parseCallFrame('{nope')).toMatchObject({ ok: false, problem: 'malformed' });
    expect(parseCallFrame({ type: 'call.transfer', callId })).toMatchObject({ ok: false, problem: 'unknown-type', type: 'call.transfer' });
    const bad = parseCallFrame({ type: 'call.accept', callId: 'short', fingerprint: fingerprint.toLowerCase(), sdp: 'hello' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues.map((i) => i.path).sort()).toEqual(['callId', 'fingerprint', 'sdp']);
      expect(JSON.stringify(bad.issues)).not.toContain('hello');
    }
    // A candidate is one line: no smuggled SDP attributes.
    expect(parseCallFrame({ type: 'call.candidates', callId, candidates: [{ ...candidate, candidate: 'candidate:1\r\na=fingerprint:x' }] }).ok).toBe(false);
    expect(parseCallFrame({ type: 'call.candidates', callId, candidates: [] }).ok).toBe(false);
    expect(parseCallFrame({ type: 'call.decline', callId, reason: 'rude' }).ok).toBe(false);
    expect(parseCallFrame({ type: 'call.restart', callId, kind: 'pranswer', sdp }).ok).toBe(false);
    expect(parseCallFrame({ type: 'call.invite', callId, fingerprint: 'sha-1 AB:CD', sdp }).ok).toBe(false);
    for (const junk of [null, 42, [], 'null', '"x"', { type: 7 }, { type: 'call.ringing' }]) expect(parseCallFrame(junk).ok).toBe(false);
  });
});

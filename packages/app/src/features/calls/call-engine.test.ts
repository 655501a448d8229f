import type { CallFrame } from '@discordopus/protocol/calls';
import { describe, expect, it, vi } from 'vitest';
import { CallEngine } from './call-engine';
import type { CallState } from './call-types';

/**
 * The CallEngine's state machine before any WebRTC object exists (VOICE-01, VOICE-02, PROTOCOL.md
 * §9.2–9.3), in jsdom with the real engine; connected calls are covered in Chromium (e2e/calls).
 */

const FP = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${FP}\r\na=rtpmap:111 opus/48000/2\r\n`;
const ID_A = 'AAAAAAAAAAAAAAAAAAAAAA';
const ID_B = 'BBBBBBBBBBBBBBBBBBBBBA';
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null };

function setup() {
  const frames: CallFrame[] = [];
  const states: CallState[] = [];
  const engine = new CallEngine({ send: (f) => frames.push(f), getUserMedia: () => new Promise(() => {}) });
  engine.on('stateChanged', ({ state }) => states.push(state));
  return { engine, frames, states };
}

describe('CallEngine before media (VOICE-01, VOICE-02)', () => {
  it('VOICE-02: frames that make no sense in the current state are refused and counted, and change nothing', () => {
    const { engine, frames, states } = setup();
    const refused: string[] = [];
    engine.on('refused', ({ reason, type }) => refused.push(`${reason}:${type}`));
    engine.handleFrame({ type: 'call.accept', callId: ID_A, fingerprint: FP, sdp: SDP });
    engine.handleFrame({ type: 'call.ringing', callId: ID_A });
    engine.handleFrame({ type: 'call.hangup', callId: ID_A, reason: 'hangup' });
    engine.handleFrame({ type: 'call.candidates', callId: ID_A, candidates: [candidate] });
    engine.handleFrame({ type: 'call.restart', callId: ID_A, kind: 'offer', sdp: SDP });
    engine.handleFrame({ type: 'call.cancel', callId: ID_A, reason: 'timeout' });
    engine.handleFrame({ type: 'call.decline', callId: ID_A, reason: 'busy' });
    // An invite whose frame fingerprint is not its SDP's starts nothing.
    engine.handleFrame({ type: 'call.invite', callId: ID_A, fingerprint: FP.replace('10', 'FF'), sdp: SDP });
    engine.handleFrame('{"type":"call.invite"');
    engine.handleFrame(JSON.stringify({ type: 'call.video', callId: ID_A }));
    expect(engine.refusals()).toEqual({ oversized: 0, malformed: 2, 'unknown-type': 1, unexpected: 7 });
    expect(refused).toContain('unexpected:call.accept');
    expect(engine.state).toEqual({ phase: 'idle' });
    expect(states).toEqual([]);
    expect(frames).toEqual([]);
  });

  it('VOICE-01: a second invite while ringing is answered "busy" without disturbing the first; a repeated invite is refused', () => {
    const { engine, frames } = setup();
    engine.handleFrame({ type: 'call.invite', callId: ID_A, fingerprint: FP, sdp: SDP });
    engine.handleFrame({ type: 'call.invite', callId: ID_B, fingerprint: FP, sdp: SDP });
    engine.handleFrame({ type: 'call.invite', callId: ID_A, fingerprint: FP, sdp: SDP });
    expect(frames).toEqual([
      { type: 'call.ringing', callId: ID_A },
      { type: 'call.decline', callId: ID_B, reason: 'busy' },
    ]);
    expect(engine.state).toMatchObject({ phase: 'ringing', callId: ID_A, direction: 'incoming' });
    expect(engine.refusals().unexpected).toBe(1);
  });

  it('VOICE-01: the caller\'s candidates are kept while ringing (bounded); a cancel ends the ringing call as missed', () => {
    const { engine } = setup();
    engine.handleFrame({ type: 'call.invite', callId: ID_A, fingerprint: FP, sdp: SDP });
    const batch = Array.from({ length: 32 }, () => candidate);
    for (let i = 0; i < 4; i += 1) engine.handleFrame({ type: 'call.candidates', callId: ID_A, candidates: batch });
    expect(engine.refusals().oversized).toBe(0);
    engine.handleFrame({ type: 'call.candidates', callId: ID_A, candidates: [candidate] });
    expect(engine.refusals().oversized).toBe(1);
    engine.handleFrame({ type: 'call.cancel', callId: ID_A, reason: 'cancelled' });
    expect(engine.state).toMatchObject({ phase: 'ended', reason: 'missed', durationMs: null });
  });

  it('VOICE-01: an incoming call nobody answers and whose cancel was lost ends as missed 35 s after the invite (fake clock)', () => {
    vi.useFakeTimers();
    const { engine } = setup();
    engine.handleFrame({ type: 'call.invite', callId: ID_A, fingerprint: FP, sdp: SDP });
    vi.advanceTimersByTime(34_999);
    expect(engine.state.phase).toBe('ringing');
    vi.advanceTimersByTime(1);
    expect(engine.state).toMatchObject({ phase: 'ended', reason: 'missed' });
  });
});

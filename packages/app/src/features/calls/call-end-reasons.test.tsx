import type { CallFrame } from '@discordopus/protocol/calls';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CallBar } from './call-bar';
import { CallEngine } from './call-engine';
import { lostReason, setupFailureReason, NoRelayError } from './call-failure';
import { endReasonText } from './call-format';
import type { CallEndReason } from './call-types';
import type { Ringer } from './ring-tone';

/**
 * Why a call ended, in words (VOICE-01, VOICE-04, issue #14): every reason has its own sentence,
 * and each one this side can reach without a WebRTC connection is reached here through the real
 * engine in jsdom. The connected ones (peer lost, security) are reached in Chromium (e2e/calls).
 */
const FP = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${FP}\r\na=rtpmap:111 opus/48000/2\r\n`;
const CALL_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const silent: Ringer = { playing: null, start() {}, stop() {} };
const never = () => new Promise<MediaStream>(() => {});

function renderBar(options: Partial<ConstructorParameters<typeof CallEngine>[0]> = {}) {
  const frames: CallFrame[] = [];
  let microphoneAsked = 0;
  const getUserMedia = options.getUserMedia ?? never;
  const engine = new CallEngine({
    randomBytes: (n) => new Uint8Array(n).fill(1),
    ...options,
    send: (f) => frames.push(f),
    getUserMedia: (c) => {
      microphoneAsked += 1;
      return getUserMedia(c);
    },
  });
  render(<CallBar engine={engine} peerName="Bob" ringer={silent} now={() => 0} />);
  const status = () => screen.getByTestId('call-status').textContent;
  const reason = () => (engine.state.phase === 'ended' ? engine.state.reason : null);
  return { engine, frames, status, reason, microphoneAsked: () => microphoneAsked };
}

const ALL: CallEndReason[] = ['hangup', 'remote-hangup', 'declined', 'busy', 'no-answer', 'missed', 'cancelled', 'peer-lost', 'network-lost', 'security', 'mic-denied', 'mic-missing', 'no-relay', 'unreachable', 'link-lost', 'answered-elsewhere', 'remote-error', 'error'];

describe('why a call ended, in words (VOICE-01, VOICE-04)', () => {
  it('VOICE-04: every reason has its own sentence; those about the contact name them', () => {
    const texts = ALL.map((r) => endReasonText(r, 'Bob'));
    expect(new Set(texts).size).toBe(ALL.length);
    expect(endReasonText('peer-lost', 'Bob')).toBe('The connection to Bob was lost: their app quit or crashed, or their network dropped.');
    expect(endReasonText('security', 'Bob')).toMatch(/security check failed: fingerprint mismatch/);
    expect(endReasonText('unreachable')).toBe('Your contact could not be reached: there is no direct link (they may be offline).');
    // The browser being offline makes a lost call this side's network, not the peer.
    expect(lostReason(false)).toBe('network-lost');
    expect(lostReason(true)).toBe('peer-lost');
    expect(endReasonText('network-lost')).toBe('Your network connection was lost, so the call ended.');
  });

  it('VOICE-01: a microphone the user refused ends the call "denied"; the caller is told the callee failed', async () => {
    const callee = renderBar({ getUserMedia: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) });
    act(() => callee.engine.handleFrame({ type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP }));
    await act(() => callee.engine.accept());
    expect(callee.reason()).toBe('mic-denied');
    expect(callee.status()).toBe('Microphone access was denied: allow the microphone for DiscordOpus and call again.');
    expect(callee.frames.at(-1)).toEqual({ type: 'call.hangup', callId: CALL_ID, reason: 'error' });
  });

  it('VOICE-01: no microphone at all ends the call "missing" before anything is sent', async () => {
    const caller = renderBar({ getUserMedia: () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) });
    await act(() => caller.engine.call());
    expect(caller.reason()).toBe('mic-missing');
    expect(caller.status()).toMatch(/^No microphone could be opened .*Settings → Voice\.$/);
    expect(caller.frames).toEqual([]);
    expect(setupFailureReason(new DOMException('busy', 'NotReadableError'))).toBe('mic-missing');
    expect(setupFailureReason(new DOMException('x', 'OverconstrainedError'))).toBe('mic-missing');
    expect(setupFailureReason(new Error('anything else'))).toBe('error');
  });

  it('P2P-03, VOICE-01: relay-only without a TURN relay refuses to start the call and says so; with one, the call goes on', async () => {
    const refused = renderBar({ relayOnly: true, iceServers: [{ urls: 'stun:127.0.0.1:3478' }] });
    await act(() => refused.engine.call());
    expect(refused.reason()).toBe('no-relay');
    expect(refused.status()).toMatch(/^Relay-only is on, but no TURN relay is available/);
    expect(refused.microphoneAsked()).toBe(0);
    expect(refused.frames).toEqual([]);
    expect(setupFailureReason(new NoRelayError())).toBe('no-relay');
  });

  it('P2P-03: relay-only with a TURN relay opens the microphone as usual', async () => {
    const relayed = renderBar({ relayOnly: true, iceServers: [{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: 'u', credential: 'c' }] });
    act(() => void relayed.engine.call());
    await waitFor(() => expect(relayed.microphoneAsked()).toBe(1));
    expect(relayed.engine.state.phase).toBe('outgoing');
  });

  it('VOICE-04: the callee\'s side failing reads as theirs, with the name', () => {
    const caller = renderBar();
    act(() => void caller.engine.call());
    const callId = caller.engine.state.phase === 'outgoing' ? caller.engine.state.callId : '';
    act(() => caller.engine.handleFrame({ type: 'call.hangup', callId, reason: 'error' }));
    expect(caller.reason()).toBe('remote-error');
    expect(caller.status()).toBe("The call failed on Bob's side (their microphone or connection).");
  });

  it('VOICE-02, VOICE-04: an invite the link cannot carry is "could not be reached"; a link that breaks later is "the link broke" — the peer is still told', () => {
    const caller = renderBar();
    act(() => void caller.engine.call());
    act(() => caller.engine.hangup('unreachable'));
    expect(caller.status()).toBe('Bob could not be reached: there is no direct link (they may be offline).');
    expect(caller.frames.at(-1)).toMatchObject({ type: 'call.cancel', reason: 'cancelled' });

    act(() => caller.engine.handleFrame({ type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP }));
    act(() => caller.engine.hangup('link-lost'));
    expect(caller.reason()).toBe('link-lost');
    expect(caller.status()).toBe('The direct link to Bob broke, so the call ended.');
    expect(caller.frames.at(-1)).toEqual({ type: 'call.decline', callId: CALL_ID, reason: 'declined' });
  });

  it('VOICE-04: the peer\'s hang-up arriving after this side gave the call up as lost corrects the words; a second one changes nothing', () => {
    const callee = renderBar();
    const refused: string[] = [];
    callee.engine.on('refused', ({ reason }) => refused.push(reason));
    act(() => callee.engine.handleFrame({ type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP }));
    act(() => callee.engine.hangup('link-lost'));
    expect(callee.status()).toBe('The direct link to Bob broke, so the call ended.');
    act(() => callee.engine.handleFrame({ type: 'call.hangup', callId: CALL_ID, reason: 'hangup' }));
    expect(callee.reason()).toBe('remote-hangup');
    expect(callee.status()).toBe('The other side hung up.');
    // Now the end is the peer's own word: a repeat, or another call's frame, is refused as before.
    act(() => callee.engine.handleFrame({ type: 'call.hangup', callId: CALL_ID, reason: 'error' }));
    act(() => callee.engine.handleFrame({ type: 'call.hangup', callId: 'BBBBBBBBBBBBBBBBBBBBBA', reason: 'hangup' }));
    expect(callee.reason()).toBe('remote-hangup');
    expect(refused).toEqual(['unexpected', 'unexpected']);
  });
});

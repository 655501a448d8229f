import type { CallFrame } from '@discordopus/protocol/calls';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CallBar } from './call-bar';
import { CallButton } from './call-button';
import { CallEngine } from './call-engine';
import { qualityRows } from './call-format';
import { DEFAULT_VOICE_SETTINGS, type VoiceSettings } from './call-types';
import { IncomingCallDialog } from './incoming-call-dialog';
import type { RingKind, Ringer } from './ring-tone';
import { VoiceSettingsSection } from './voice-settings';

/**
 * The call UI in jsdom (VOICE-01, VOICE-03) around the real CallEngine: everything before a
 * WebRTC connection exists (ringing, declining, cancelling, no answer, a microphone that fails)
 * runs here; the connected call is covered in Chromium (e2e/calls).
 */

const FP = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${FP}\r\na=rtpmap:111 opus/48000/2\r\n`;
const CALL_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A ringer that records what it was asked to play (no WebAudio in jsdom). */
function recordingRinger(): Ringer & { history: (RingKind | 'stop')[] } {
  const history: (RingKind | 'stop')[] = [];
  let playing: RingKind | null = null;
  return {
    history,
    get playing() {
      return playing;
    },
    start(kind) {
      playing = kind;
      history.push(kind);
    },
    stop() {
      playing = null;
      history.push('stop');
    },
  };
}

function makeEngine(getUserMedia: () => Promise<MediaStream>, extra: Partial<ConstructorParameters<typeof CallEngine>[0]> = {}) {
  const frames: CallFrame[] = [];
  const engine = new CallEngine({ send: (f) => frames.push(f), getUserMedia, randomBytes: (n) => new Uint8Array(n).fill(1), ...extra });
  return { engine, frames };
}

const never = () => new Promise<MediaStream>(() => {});

describe('call UI (VOICE-01, VOICE-03)', () => {
  it('VOICE-01: an incoming call rings with Accept and Decline; Decline tells the caller, stops the ring and closes the dialog', async () => {
    const user = userEvent.setup();
    const { engine, frames } = makeEngine(never);
    const ringer = recordingRinger();
    render(<IncomingCallDialog engine={engine} callerName="Bob" ringer={ringer} />);
    expect(screen.queryByTestId('incoming-call')).toBeNull();
    act(() => engine.handleFrame({ type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP }));
    expect(await screen.findByText('Bob is calling')).toBeTruthy();
    expect(ringer.playing).toBe('ring');
    expect(frames).toEqual([{ type: 'call.ringing', callId: CALL_ID }]);
    await user.click(screen.getByTestId('decline-call'));
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    expect(frames.at(-1)).toEqual({ type: 'call.decline', callId: CALL_ID, reason: 'declined' });
    expect(ringer.history).toEqual(['ring', 'stop']);
  });

  it('VOICE-01: accepting when the microphone cannot open ends the call with a reason the bar shows, and tells the caller', async () => {
    const user = userEvent.setup();
    const { engine, frames } = makeEngine(() => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')));
    const ringer = recordingRinger();
    render(
      <>
        <IncomingCallDialog engine={engine} callerName="Bob" ringer={ringer} />
        <CallBar engine={engine} peerName="Bob" ringer={ringer} now={() => 0} />
      </>,
    );
    act(() => engine.handleFrame({ type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP }));
    await user.click(await screen.findByTestId('accept-call'));
    await waitFor(() => expect(screen.getByTestId('call-status').textContent).toBe('Microphone access was denied: allow the microphone for DiscordOpus and call again.'));
    expect(frames.at(-1)).toEqual({ type: 'call.hangup', callId: CALL_ID, reason: 'error' });
    expect(screen.queryByTestId('incoming-call')).toBeNull();
    expect(ringer.playing).toBeNull();
  });

  it('VOICE-01: calling shows "Calling…", then "Ringing…" with ringback; hanging up cancels the call', async () => {
    const user = userEvent.setup();
    const { engine, frames } = makeEngine(never);
    const ringer = recordingRinger();
    render(
      <>
        <CallButton engine={engine} contactName="Bob" reachable />
        <CallBar engine={engine} peerName="Bob" ringer={ringer} now={() => 0} />
      </>,
    );
    await user.click(screen.getByTestId('call-button'));
    expect(screen.getByTestId('call-status').textContent).toBe('Calling Bob…');
    expect((screen.getByTestId('call-button') as HTMLButtonElement).disabled).toBe(true);
    const callId = engine.state.phase === 'outgoing' ? engine.state.callId : '';
    act(() => engine.handleFrame({ type: 'call.ringing', callId }));
    expect(screen.getByTestId('call-status').textContent).toBe('Ringing Bob…');
    expect(ringer.playing).toBe('ringback');
    await user.click(screen.getByTestId('hangup'));
    expect(frames.at(-1)).toEqual({ type: 'call.cancel', callId, reason: 'cancelled' });
    expect(screen.getByTestId('call-status').textContent).toBe('Call ended.');
    expect(ringer.playing).toBeNull();
    expect((screen.getByTestId('call-button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('VOICE-01: no answer in 30 s (fake clock) shows "No answer." even while the microphone hangs; a busy callee shows "Busy"', async () => {
    vi.useFakeTimers();
    const { engine, frames } = makeEngine(never);
    render(<CallBar engine={engine} peerName="Bob" ringer={recordingRinger()} now={() => 0} />);
    // The microphone never opens here (the promise stays pending): the ring timer runs anyway.
    const callIdNow = () => (engine.state.phase === 'idle' ? '' : engine.state.callId);
    act(() => void engine.call());
    let callId = callIdNow();
    act(() => vi.advanceTimersByTime(29_999));
    expect(screen.getByTestId('call-status').textContent).toBe('Calling Bob…');
    act(() => vi.advanceTimersByTime(1));
    expect(screen.getByTestId('call-status').textContent).toBe('No answer.');
    // The invite never went out (the microphone never opened), so there is nothing to cancel;
    // with an invite out, the cancel is checked in Chromium (e2e/calls, no answer).
    expect(frames).toEqual([]);

    act(() => void engine.call());
    callId = callIdNow();
    act(() => engine.handleFrame({ type: 'call.decline', callId, reason: 'busy' }));
    expect(screen.getByTestId('call-status').textContent).toBe('Busy: they are in another call.');
  });

  it('VOICE-01: Ctrl+Shift+M mutes and Ctrl+Shift+D deafens while a call is on, wherever the focus is; not when no call is on', async () => {
    const user = userEvent.setup();
    const { engine } = makeEngine(never);
    render(<CallBar engine={engine} peerName="Bob" ringer={recordingRinger()} now={() => 0} />);
    await user.keyboard('{Control>}{Shift>}m{/Shift}{/Control}');
    expect(engine.controls.muted).toBe(false); // no call yet: the keys do nothing
    act(() => void engine.call());
    await user.keyboard('{Control>}{Shift>}m{/Shift}{/Control}');
    expect(engine.controls).toEqual({ muted: true, deafened: false });
    expect(screen.getByTestId('mute-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('mute-toggle').getAttribute('aria-keyshortcuts')).toBe('Control+Shift+M');
    await user.keyboard('{Control>}{Shift>}d{/Shift}{/Control}');
    expect(engine.controls).toEqual({ muted: true, deafened: true });
    expect(screen.getByTestId('deafen-toggle').getAttribute('aria-pressed')).toBe('true');
    await user.keyboard('{Control>}{Shift>}m{/Shift}{/Control}');
    await user.keyboard('{Control>}{Shift>}d{/Shift}{/Control}');
    expect(engine.controls).toEqual({ muted: false, deafened: false });
    // Without Shift it is not the shortcut.
    await user.keyboard('{Control>}m{/Control}');
    expect(engine.controls.muted).toBe(false);
  });

  it('VOICE-01: the call button is disabled while the contact is unreachable', () => {
    const { engine } = makeEngine(never);
    render(<CallButton engine={engine} contactName="Bob" reachable={false} />);
    expect((screen.getByTestId('call-button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('call-button').getAttribute('title')).toBe('Bob is not reachable');
  });

  it('VOICE-03: the quality panel reads RTT, jitter, loss, bitrates, codec and Direct/Relayed', () => {
    const rows = qualityRows({ at: 0, rttMs: 12, jitterMs: 1.5, loss: 0.012, inboundBitrate: 31_400, outboundBitrate: 900, codec: 'audio/opus 48000 minptime=10;useinbandfec=1', route: 'relayed' });
    expect(Object.fromEntries(rows.map((r) => [r.label, r.value]))).toEqual({
      Connection: 'Relayed',
      'Round trip': '12 ms',
      Jitter: '1.5 ms',
      'Packet loss': '1.2 %',
      Incoming: '31.4 kbit/s',
      Outgoing: '900 bit/s',
      Codec: 'audio/opus 48000',
    });
    expect(qualityRows(null).every((r) => r.value === '—')).toBe(true);
  });

  it('VOICE-01: Settings → Voice lists microphones and speakers, toggles the three processing switches, and meters the microphone', async () => {
    const user = userEvent.setup();
    let settings: VoiceSettings = DEFAULT_VOICE_SETTINGS;
    const onChange = vi.fn((patch: Partial<VoiceSettings>) => (settings = { ...settings, ...patch }));
    const closed = vi.fn();
    const devices = [
      { deviceId: 'mic-1', kind: 'audioinput' as const, label: 'USB mic' },
      { deviceId: 'spk-1', kind: 'audiooutput' as const, label: 'Headphones' },
      { deviceId: 'cam-1', kind: 'videoinput' as const, label: 'Camera' },
    ];
    const view = (s: VoiceSettings) => (
      <VoiceSettingsSection settings={s} onChange={onChange} listDevices={() => Promise.resolve(devices)} openMeter={() => Promise.resolve({ level: () => 0.42, close: closed })} meterIntervalMs={10} />
    );
    const { rerender } = render(view(settings));
    await screen.findByRole('option', { name: 'USB mic' });
    expect(screen.queryByRole('option', { name: 'Camera' })).toBeNull();
    for (const key of ['echoCancellation', 'noiseSuppression', 'autoGainControl']) expect(screen.getByTestId(`voice-${key}`).getAttribute('aria-checked')).toBe('true');
    await user.click(screen.getByTestId('voice-noiseSuppression'));
    expect(onChange).toHaveBeenLastCalledWith({ noiseSuppression: false });
    await user.selectOptions(screen.getByTestId('voice-input'), 'mic-1');
    expect(onChange).toHaveBeenLastCalledWith({ inputDeviceId: 'mic-1', inputDeviceLabel: 'USB mic' });
    await user.selectOptions(screen.getByTestId('voice-output'), 'spk-1');
    expect(onChange).toHaveBeenLastCalledWith({ outputDeviceId: 'spk-1', outputDeviceLabel: 'Headphones' });
    rerender(view(settings));
    expect(screen.getByTestId('voice-noiseSuppression').getAttribute('aria-checked')).toBe('false');

    await user.click(screen.getByTestId('mic-test'));
    await waitFor(() => expect(screen.getByTestId('mic-level').getAttribute('aria-valuenow')).toBe('42'));
    await user.click(screen.getByTestId('mic-test'));
    expect(closed).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('mic-level').getAttribute('aria-valuenow')).toBe('0');
  });
});

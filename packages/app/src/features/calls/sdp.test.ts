import { describe, expect, it } from 'vitest';
import { audioConstraints, DEFAULT_VOICE_SETTINGS } from './call-types';
import { mungeOpus, opusParameters, opusPayloadType, sdpFingerprint } from './sdp';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9',
  `a=fingerprint:sha-256 ${FP.toLowerCase()}`,
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=0',
  'a=rtpmap:9 G722/8000',
  '',
].join('\r\n');

describe('call SDP helpers (VOICE-01, PROTOCOL.md §9.2)', () => {
  it('VOICE-01: Opus gets useinbandfec=1 and usedtx=1 at 48 kHz, other lines untouched', () => {
    expect(opusPayloadType(offer)).toBe('111');
    const munged = mungeOpus(offer);
    expect(opusParameters(munged)).toEqual({ minptime: '10', useinbandfec: '1', usedtx: '1' });
    expect(munged.split('\r\n').filter((l) => !l.startsWith('a=fmtp:111'))).toEqual(offer.split('\r\n').filter((l) => !l.startsWith('a=fmtp:111')));
    // No fmtp line at all: one is added right after the rtpmap.
    const bare = offer.replace('a=fmtp:111 minptime=10;useinbandfec=0\r\n', '');
    const added = mungeOpus(bare).split('\r\n');
    expect(added[added.indexOf('a=rtpmap:111 opus/48000/2') + 1]).toBe('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1');
    // Without Opus the SDP is left alone.
    const noOpus = offer.replace('opus/48000/2', 'PCMU/8000');
    expect(mungeOpus(noOpus)).toBe(noOpus);
  });

  it('VOICE-02: the DTLS fingerprint is read and normalised; two different ones or a non-SHA-256 one is none', () => {
    expect(sdpFingerprint(offer)).toBe(`sha-256 ${FP}`);
    expect(sdpFingerprint(offer.replace('sha-256', 'sha-1'))).toBeNull();
    const other = FP.replace(/^../, 'FF');
    expect(sdpFingerprint(`${offer}a=fingerprint:sha-256 ${other}\r\n`)).toBeNull();
    expect(sdpFingerprint(`${offer}a=fingerprint:SHA-256 ${FP}\r\n`)).toBe(`sha-256 ${FP}`);
    expect(sdpFingerprint('v=0\r\n')).toBeNull();
  });

  it('VOICE-01: capture processing is on by default and follows the settings, with the chosen microphone', () => {
    expect(audioConstraints(DEFAULT_VOICE_SETTINGS).audio).toMatchObject({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    expect(audioConstraints(DEFAULT_VOICE_SETTINGS).audio).not.toHaveProperty('deviceId');
    const custom = audioConstraints({ ...DEFAULT_VOICE_SETTINGS, noiseSuppression: false, inputDeviceId: 'mic-2' });
    expect(custom.audio).toMatchObject({ echoCancellation: true, noiseSuppression: false, deviceId: { ideal: 'mic-2' } });
  });
});

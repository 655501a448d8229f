import { encodeUserId } from '@discordopus/protocol';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BridgeClient } from '../../bridge/bridge-client';
import { FAKE_OWN_KEY, FakeCore, fakeContact } from '../../test-support/fake-core';
import { inMemoryConnector } from '../../test-support/in-memory-connector';
import { flushBridge } from '../../test-support/render-app';
import { CallController } from './call-controller';
import { CallMedia } from './call-media';
import { CallNotice, MICROPHONE_FALLBACK_TEXT } from './call-notice';
import { DEFAULT_VOICE_SETTINGS, type VoiceSettings } from './call-types';
import { VoiceSettingsSection } from './voice-settings';

/**
 * A remembered device that is gone (review finding 1, VOICE-01): the call still opens a
 * microphone (the default), the speaker falls back to the default, and Settings → Voice shows the
 * missing device as "(not connected)" so that choosing "System default" is a real change.
 */
const track = { enabled: true, stop: vi.fn() } as unknown as MediaStreamTrack;
const stream = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
const unplugged: VoiceSettings = { ...DEFAULT_VOICE_SETTINGS, inputDeviceId: 'usb-gone', inputDeviceLabel: 'USB headset' };

describe('a remembered device that is gone (VOICE-01, review finding 1)', () => {
  it('VOICE-01: the chosen microphone is asked as preferred, and a browser that still refuses it gets one retry with the default', async () => {
    const asked: MediaStreamConstraints[] = [];
    const media = new CallMedia(async (c) => {
      asked.push(c);
      const audio = c.audio as MediaTrackConstraints;
      if (audio.deviceId !== undefined) throw new DOMException('no such device', 'OverconstrainedError');
      return stream;
    }, document.createElement('audio'));
    await expect(media.open(unplugged)).resolves.toMatchObject({ track, chosenMissing: true });
    expect(asked.map((c) => (c.audio as MediaTrackConstraints).deviceId)).toEqual([{ ideal: 'usb-gone' }, undefined]);

    // Any other failure (denied) is not hidden by a retry.
    const denied = new CallMedia(() => Promise.reject(new DOMException('no', 'NotAllowedError')), document.createElement('audio'));
    await expect(denied.open(unplugged)).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('VOICE-01: a speaker that is gone leaves the system default playing and says so', async () => {
    const audio = document.createElement('audio') as HTMLAudioElement & { setSinkId: (id: string) => Promise<void> };
    const sinks: string[] = [];
    audio.setSinkId = async (id) => {
      sinks.push(id);
      if (id !== '') throw new DOMException('Requested device not found', 'NotFoundError');
    };
    const media = new CallMedia(async () => stream, audio);
    await expect(media.setOutputDevice('spk-gone')).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(sinks).toEqual(['spk-gone', '']);
  });

  it('VOICE-01: Settings → Voice shows the missing microphone as "not connected", and "System default" clears it', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<VoiceSettingsSection settings={unplugged} onChange={onChange} listDevices={async () => [{ deviceId: 'mic-1', kind: 'audioinput', label: 'Built-in mic' }]} openMeter={() => new Promise(() => {})} />);
    const missing = await screen.findByRole('option', { name: 'USB headset (not connected)' });
    expect((missing as HTMLOptionElement).selected).toBe(true);
    expect((screen.getByTestId('voice-input') as HTMLSelectElement).value).toBe('usb-gone');
    await user.selectOptions(screen.getByTestId('voice-input'), 'System default');
    expect(onChange).toHaveBeenLastCalledWith({ inputDeviceId: null, inputDeviceLabel: null });
    await user.selectOptions(screen.getByTestId('voice-input'), 'Built-in mic');
    expect(onChange).toHaveBeenLastCalledWith({ inputDeviceId: 'mic-1', inputDeviceLabel: 'Built-in mic' });
  });

  it('VOICE-01: a call whose chosen microphone is neither there by id nor by name tells the user the default is used', async () => {
    const listed = [{ deviceId: 'default', kind: 'audioinput' as const, label: 'Default' }];
    const here = new CallMedia(async () => stream, document.createElement('audio'), async () => [...listed, { deviceId: 'usb-gone', kind: 'audioinput' as const, label: 'USB headset' }]);
    await expect(here.open(unplugged)).resolves.toMatchObject({ chosenMissing: false });

    const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
    const core = new FakeCore({ state: { session: 'unlocked', passphrase: 'correct horse battery', identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' }, contacts: [bob] } });
    const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
    const controller = new CallController({ bridge, engine: { settings: unplugged, getUserMedia: async () => stream, listDevices: async () => listed, randomBytes: (n) => new Uint8Array(n).fill(1) } });
    bridge.start();
    render(<CallNotice controller={controller} />);
    await flushBridge();
    void controller.call(bob.publicKey).catch(() => {});
    await waitFor(() => expect(screen.getByTestId('call-notice').textContent).toContain(MICROPHONE_FALLBACK_TEXT));
  });
});

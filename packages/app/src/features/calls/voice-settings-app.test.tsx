import { encodeUserId } from '@discordopus/protocol';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../app';
import { createAppActions } from '../../bridge/app-actions';
import { BridgeClient } from '../../bridge/bridge-client';
import { syncBridgeToStore } from '../../bridge/bridge-sync';
import { AppProvider } from '../../store/app-context';
import { createAppStore } from '../../store/app-store';
import { FAKE_OWN_KEY, FakeCore, fakeContact } from '../../test-support/fake-core';
import { inMemoryConnector } from '../../test-support/in-memory-connector';
import { flushBridge } from '../../test-support/render-app';
import { CallController } from './call-controller';
import { CallsProvider } from './call-layer';
import { DEFAULT_VOICE_SETTINGS } from './call-types';
import type { Ringer } from './ring-tone';
import { readVoiceSettings, VOICE_STORAGE_KEY } from './voice-preferences';
import type { VoiceDevices } from './voice-settings-tab';

/**
 * Settings → Voice in the app (VOICE-01): mounted in the Settings dialog, remembered in the
 * window's storage (jsdom's real localStorage), and used by the next call's getUserMedia.
 */
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
const unlocked = { session: 'unlocked' as const, passphrase: 'correct horse battery', identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' }, contacts: [bob] };
const silentRinger: Ringer = { playing: null, start() {}, stop() {} };
const devices: VoiceDevices = {
  listDevices: async () => [
    { deviceId: 'mic-1', kind: 'audioinput', label: 'USB mic' },
    { deviceId: 'spk-1', kind: 'audiooutput', label: 'Headphones' },
  ],
  openMeter: async () => ({ level: () => 0.5, close() {} }),
};

afterEach(() => window.localStorage.clear());

function setup() {
  const asked: MediaStreamConstraints[] = [];
  const core = new FakeCore({ state: unlocked });
  const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
  const store = createAppStore();
  syncBridgeToStore(bridge, store);
  const controller = new CallController({
    bridge,
    voiceStorage: window.localStorage,
    engine: { getUserMedia: (c) => (asked.push(c), new Promise(() => {})), randomBytes: (n) => new Uint8Array(n).fill(1) },
  });
  bridge.start();
  render(
    <AppProvider store={store} actions={createAppActions(bridge, store)}>
      <CallsProvider controller={controller} ringer={silentRinger} now={() => 0} devices={devices}>
        <App />
      </CallsProvider>
    </AppProvider>,
  );
  return { controller, store, asked, user: userEvent.setup() };
}

describe('Settings → Voice in the app (VOICE-01)', () => {
  it('VOICE-01: the choices are remembered for the next window and the next call opens the chosen microphone with the chosen processing', async () => {
    const h = setup();
    await screen.findByTestId('main-screen');
    await flushBridge();
    await h.user.click(screen.getByTestId('open-settings'));
    await h.user.click(await screen.findByTestId('settings-tab-voice'));
    await screen.findByRole('option', { name: 'USB mic' });
    expect(screen.getByTestId('voice-echoCancellation').getAttribute('aria-checked')).toBe('true');
    await h.user.click(screen.getByTestId('voice-noiseSuppression'));
    await h.user.selectOptions(screen.getByTestId('voice-input'), 'mic-1');
    await waitFor(() => expect(screen.getByTestId('voice-noiseSuppression').getAttribute('aria-checked')).toBe('false'));
    // jsdom's <audio> has no setSinkId, as some browsers: the user is told rather than left guessing.
    await h.user.selectOptions(screen.getByTestId('voice-output'), 'spk-1');
    expect((await screen.findByTestId('voice-output-error')).textContent).toBe('This browser cannot choose the speaker: the system default plays the call.');

    const remembered = { ...DEFAULT_VOICE_SETTINGS, noiseSuppression: false, inputDeviceId: 'mic-1', inputDeviceLabel: 'USB mic', outputDeviceId: 'spk-1', outputDeviceLabel: 'Headphones' };
    expect(readVoiceSettings(window.localStorage)).toEqual(remembered);
    expect(new CallController({ bridge: new BridgeClient({ connect: inMemoryConnector(new FakeCore()) }), voiceStorage: window.localStorage }).voiceSettings).toEqual(remembered);

    await h.user.keyboard('{Escape}');
    act(() => h.store.getState().selectContact(bob.publicKey));
    await h.user.click(await screen.findByTestId('call-button'));
    await waitFor(() => expect(h.asked).toHaveLength(1));
    expect(h.asked[0]?.audio).toMatchObject({ noiseSuppression: false, echoCancellation: true, autoGainControl: true, deviceId: { ideal: 'mic-1' }, sampleRate: 48_000 });
  });

  it('VOICE-01: a damaged or hand-edited entry falls back field by field to the defaults', () => {
    window.localStorage.setItem(VOICE_STORAGE_KEY, '{not json');
    expect(readVoiceSettings(window.localStorage)).toEqual(DEFAULT_VOICE_SETTINGS);
    window.localStorage.setItem(VOICE_STORAGE_KEY, JSON.stringify({ echoCancellation: false, noiseSuppression: 'no', inputDeviceId: 'x'.repeat(600), outputDeviceId: 7 }));
    expect(readVoiceSettings(window.localStorage)).toEqual({ ...DEFAULT_VOICE_SETTINGS, echoCancellation: false });
    expect(readVoiceSettings(null)).toEqual(DEFAULT_VOICE_SETTINGS);
  });
});

import { encodeUserId } from '@discordopus/protocol';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
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
import { rememberedVoiceSettings } from './voice-preferences';
import type { VoiceDevices } from './voice-settings-tab';

/**
 * Settings → Voice in the app (VOICE-01): mounted in the Settings dialog, remembered in the
 * vault's settings through `settings.set { voice }` (the window's origin, and with it
 * localStorage and device ids, changes each launch: review finding 3), and used by the next
 * call's getUserMedia, matching a remembered device by id, else by name, else the default.
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

type Device = Awaited<ReturnType<VoiceDevices['listDevices']>>[number];

function setup(core = new FakeCore({ state: unlocked }), listed: Device[] = []) {
  const asked: MediaStreamConstraints[] = [];
  const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
  const store = createAppStore();
  syncBridgeToStore(bridge, store);
  const controller = new CallController({
    bridge,
    engine: { getUserMedia: (c) => (asked.push(c), new Promise(() => {})), randomBytes: (n) => new Uint8Array(n).fill(1), listDevices: async () => listed },
  });
  bridge.start();
  render(
    <AppProvider store={store} actions={createAppActions(bridge, store)}>
      <CallsProvider controller={controller} ringer={silentRinger} now={() => 0} devices={devices}>
        <App />
      </CallsProvider>
    </AppProvider>,
  );
  return { core, controller, store, asked, user: userEvent.setup() };
}

async function callBob(h: ReturnType<typeof setup>) {
  await screen.findByTestId('main-screen');
  await flushBridge();
  act(() => h.store.getState().selectContact(bob.publicKey));
  await h.user.click(await screen.findByTestId('call-button'));
  await waitFor(() => expect(h.asked).toHaveLength(1));
  return h.asked[0]?.audio as MediaTrackConstraints;
}

describe('Settings → Voice in the app (VOICE-01)', () => {
  it('VOICE-01: the choices are kept in the vault, a new window (the next launch) starts with them, and its next call opens the chosen microphone with the chosen processing', async () => {
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
    // jsdom's <audio> has no setSinkId, as some browsers: the user is told, and the speaker is not remembered (review finding 12).
    await h.user.selectOptions(screen.getByTestId('voice-output'), 'spk-1');
    expect((await screen.findByTestId('voice-output-error')).textContent).toBe('This browser cannot choose the speaker: the system default plays the call.');

    const remembered = { ...DEFAULT_VOICE_SETTINGS, noiseSuppression: false, inputDeviceId: 'mic-1', inputDeviceLabel: 'USB mic' };
    await waitFor(() => expect(h.core.state.settings.voice).toEqual(remembered));
    expect((screen.getByTestId('voice-output') as HTMLSelectElement).value).toBe('');

    // The next launch: a new window (new origin, empty localStorage) on the same profile.
    window.localStorage.clear();
    const nextBridge = new BridgeClient({ connect: inMemoryConnector(h.core) });
    const next = new CallController({ bridge: nextBridge });
    expect(next.voiceSettings).toEqual(DEFAULT_VOICE_SETTINGS);
    nextBridge.start();
    await waitFor(() => expect(next.voiceSettings).toEqual(remembered));
    next.close();
    nextBridge.close();

    await h.user.keyboard('{Escape}');
    act(() => h.store.getState().selectContact(bob.publicKey));
    await h.user.click(await screen.findByTestId('call-button'));
    await waitFor(() => expect(h.asked).toHaveLength(1));
    expect(h.asked[0]?.audio).toMatchObject({ noiseSuppression: false, echoCancellation: true, autoGainControl: true, deviceId: { ideal: 'mic-1' }, sampleRate: 48_000 });
  });

  it('VOICE-01: a window that opens on a profile with remembered choices uses them; a device whose id changed is found by its name', async () => {
    const core = new FakeCore({ state: unlocked });
    core.state.settings = { ...core.state.settings, voice: { ...DEFAULT_VOICE_SETTINGS, echoCancellation: false, inputDeviceId: 'old-origin-id', inputDeviceLabel: 'USB mic' } };
    const h = setup(core, [
      { deviceId: 'default', kind: 'audioinput', label: 'Default' },
      { deviceId: 'new-origin-id', kind: 'audioinput', label: 'USB mic' },
    ]);
    await waitFor(() => expect(h.controller.voiceSettings.echoCancellation).toBe(false));
    expect((await callBob(h)).deviceId).toEqual({ ideal: 'new-origin-id' });
  });

  it('VOICE-01: a remembered device that is neither there by id nor by name gives the default microphone', async () => {
    const core = new FakeCore({ state: unlocked });
    core.state.settings = { ...core.state.settings, voice: { ...DEFAULT_VOICE_SETTINGS, inputDeviceId: 'gone', inputDeviceLabel: 'Bluetooth headset' } };
    const h = setup(core, [{ deviceId: 'default', kind: 'audioinput', label: 'Default' }]);
    await waitFor(() => expect(h.controller.voiceSettings.inputDeviceId).toBe('gone'));
    expect(await callBob(h)).not.toHaveProperty('deviceId');
  });

  it('VOICE-01: a damaged remembered entry is ignored as a whole (one schema, protocol\'s)', () => {
    expect(rememberedVoiceSettings(undefined)).toBeNull();
    expect(rememberedVoiceSettings({ ...DEFAULT_VOICE_SETTINGS, noiseSuppression: 'no' })).toBeNull();
    expect(rememberedVoiceSettings({ ...DEFAULT_VOICE_SETTINGS, inputDeviceId: 'x'.repeat(600) })).toBeNull();
    expect(rememberedVoiceSettings({ ...DEFAULT_VOICE_SETTINGS, echoCancellation: false })).toEqual({ ...DEFAULT_VOICE_SETTINGS, echoCancellation: false });
  });
});

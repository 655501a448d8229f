import { DEFAULT_VOICE_PREFERENCES } from '@discordopus/protocol/calls';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession, removeTempHomes, tempHome, type TestSession } from './helpers/sessions';

/**
 * Settings → Voice is kept in the vault (VOICE-01, review finding 3): a window's localStorage and
 * device ids belong to its origin, whose port changes each launch, so the choices travel through
 * `settings.set { voice }` into the profile's real SQLCipher vault and come back after a restart.
 */
const PASSPHRASE = 'purple tiger drinks tea';
const opened: TestSession[] = [];

function session(home: string): TestSession {
  // No server: the settings do not need one (the session just keeps trying to connect).
  const s = openSession({ home, profile: 'alice', serverUrls: () => ['ws://127.0.0.1:9'] });
  opened.push(s);
  return s;
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.session.close();
  removeTempHomes();
});

describe('CoreSession: Settings → Voice in the vault (VOICE-01)', () => {
  it('VOICE-01: the voice choices are announced to every window and are still there after the app restarts', async () => {
    const home = tempHome();
    const first = session(home);
    await first.call('profile.create', { displayName: 'Alice', passphrase: PASSPHRASE });
    // The defaults are left out, as the other switches are.
    expect((await first.call('settings.get', {})).voice).toBeUndefined();

    const voice = { ...DEFAULT_VOICE_PREFERENCES, noiseSuppression: false, inputDeviceId: 'a'.repeat(64), inputDeviceLabel: 'USB headset (0d8c:0014)' };
    expect((await first.call('settings.set', { voice })).voice).toEqual(voice);
    expect(first.last('settings.changed')?.voice).toEqual(voice);
    await first.session.close();

    const second = session(home);
    await second.call('profile.unlock', { passphrase: PASSPHRASE });
    expect((await second.call('settings.get', {})).voice).toEqual(voice);
  });

  it('VOICE-01: a malformed voice entry is refused with a code and changes nothing', async () => {
    const s = session(tempHome());
    await s.call('profile.create', { displayName: 'Alice', passphrase: PASSPHRASE });
    const bad = { ...DEFAULT_VOICE_PREFERENCES, inputDeviceId: 'x'.repeat(600) };
    await expect(s.call('settings.set', { voice: bad })).rejects.toMatchObject({ code: 'BRIDGE_BAD_PARAMS' });
    await expect(s.call('settings.set', { voice: { echoCancellation: false } as never })).rejects.toMatchObject({ code: 'BRIDGE_BAD_PARAMS' });
    expect((await s.call('settings.get', {})).voice).toBeUndefined();
  });
});

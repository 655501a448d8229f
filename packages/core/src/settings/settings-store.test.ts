import { DEFAULT_VOICE_PREFERENCES } from '@discordopus/protocol/calls';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { codeOf, createTestVault, PASSPHRASE, rawKeyHex } from '../../test/helpers/test-vault';
import { openEncrypted } from '../vault/sqlcipher';
import { DB_FILE_NAME, Vault } from '../vault/vault';
import { SETTING_KEYS, SETTINGS, type SettingChange } from './settings-schema';

/** Write raw rows behind the store's back, as a broken or newer version might have. */
async function writeRawSettings(dir: string, rows: [string, string][]): Promise<void> {
  const db = openEncrypted(join(dir, DB_FILE_NAME), Buffer.from(await rawKeyHex(dir, PASSPHRASE), 'hex'), { create: false });
  const insert = db.prepare('INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, 0)');
  for (const [key, value] of rows) insert.run(key, value);
  db.close();
}

describe('settings', () => {
  it('every default passes its own schema', () => {
    for (const key of SETTING_KEYS) expect(SETTINGS[key].schema.safeParse(SETTINGS[key].default).success, key).toBe(true);
  });

  it('starts at the defaults, stores typed values across reopen, and announces changes', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    expect(vault.settings.all()).toEqual({
      'presence.status': 'online',
      'network.signalingUrls': ['ws://127.0.0.1:7717'],
      'network.allowInsecureRemote': false,
      'network.iceServers': [],
      'network.relayOnly': false,
      'links.idleCloseMs': 300_000,
      'appearance.theme': 'system',
      'privacy.sendReadReceipts': true,
      'files.downloadsDir': null,
      'files.maxReceiveBytes': 4 * 1024 ** 3,
      'files.autoAcceptVerifiedMaxBytes': 0,
      'voice.preferences': DEFAULT_VOICE_PREFERENCES,
    });
    const changes: SettingChange[] = [];
    vault.settings.on('changed', (e) => changes.push(e));
    vault.settings.set('presence.status', 'invisible');
    vault.settings.set('presence.status', 'invisible'); // unchanged: no event, no write
    vault.settings.set('appearance.theme', 'system'); // the default already: no event
    vault.settings.set('network.signalingUrls', ['wss://signal.example.org', 'ws://192.168.1.5:7717/x']);
    vault.settings.set('network.iceServers', [{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }]);
    vault.settings.set('network.relayOnly', true);
    expect(changes.map((c) => c.key)).toEqual(['presence.status', 'network.signalingUrls', 'network.iceServers', 'network.relayOnly']);
    expect(changes[0]).toEqual({ key: 'presence.status', value: 'invisible' });

    // A returned array is a copy: mutating it changes nothing stored.
    vault.settings.get('network.signalingUrls').push('wss://mutated.example');
    expect(vault.settings.get('network.signalingUrls')).toHaveLength(2);
    vault.close();

    const again = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(again.settings.get('presence.status')).toBe('invisible');
    expect(again.settings.get('network.signalingUrls')).toEqual(['wss://signal.example.org', 'ws://192.168.1.5:7717/x']);
    expect(again.settings.get('network.iceServers')).toEqual([{ urls: 'turn:turn.example.org', username: 'u', credential: 'c' }]);
    again.settings.reset('network.relayOnly');
    expect(again.settings.get('network.relayOnly')).toBe(false);
    expect(again.settings.problems).toEqual([]);
    again.close();
  });

  it('refuses an invalid value or an unknown key on set, with a clear error, and keeps the old value', async () => {
    const vault = await createTestVault(tempDir());
    expect(codeOf(() => vault.settings.set('presence.status', 'sleeping' as never))).toBe('INVALID_SETTING');
    expect(codeOf(() => vault.settings.set('network.signalingUrls', []))).toBe('INVALID_SETTING');
    expect(codeOf(() => vault.settings.set('network.signalingUrls', ['http://example.org']))).toBe('INVALID_SETTING');
    expect(codeOf(() => vault.settings.set('network.signalingUrls', Array(6).fill('wss://a.example')))).toBe('INVALID_SETTING');
    expect(codeOf(() => vault.settings.set('network.iceServers', [{ urls: 'turn:t.example' }]))).toBe('INVALID_SETTING');
    expect(codeOf(() => vault.settings.set('network.relayOnly', 'yes' as never))).toBe('INVALID_SETTING');
    expect(codeOf(() => vault.settings.set('no.such.key' as never, 1 as never))).toBe('UNKNOWN_SETTING');
    expect(codeOf(() => vault.settings.get('no.such.key' as never))).toBe('UNKNOWN_SETTING');
    expect(() => vault.settings.set('network.signalingUrls', ['ftp://x'])).toThrow(/network.signalingUrls/);
    expect(vault.settings.get('network.signalingUrls')).toEqual(['ws://127.0.0.1:7717']);
    vault.close();
  });

  it('an invalid stored value falls back to the default and is reported, never a crash; unknown keys are kept', async () => {
    const dir = tempDir();
    const vault = await createTestVault(dir);
    vault.settings.set('appearance.theme', 'dark');
    vault.close();
    await writeRawSettings(dir, [
      ['presence.status', '"sleeping"'],
      ['network.signalingUrls', 'not json at all'],
      ['network.relayOnly', 'true'],
      ['future.setting', '{"from":"a newer version"}'],
    ]);

    const again = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    expect(again.settings.get('presence.status')).toBe('online');
    expect(again.settings.get('network.signalingUrls')).toEqual(['ws://127.0.0.1:7717']);
    expect(again.settings.get('network.relayOnly')).toBe(true);
    expect(again.settings.get('appearance.theme')).toBe('dark');
    expect(again.settings.problems).toEqual([
      { key: 'network.signalingUrls', reason: 'the stored value is not JSON' },
      { key: 'presence.status', reason: expect.stringContaining('Invalid option') },
    ]);
    // Setting a valid value repairs it and clears the problem.
    again.settings.set('presence.status', 'away');
    expect(again.settings.problems.map((p) => p.key)).toEqual(['network.signalingUrls']);
    again.close();

    const raw = openEncrypted(join(dir, DB_FILE_NAME), Buffer.from(await rawKeyHex(dir, PASSPHRASE), 'hex'), { create: false });
    expect(raw.prepare("SELECT value FROM settings WHERE key = 'future.setting'").pluck().get()).toBe('{"from":"a newer version"}');
    raw.close();
  });
});

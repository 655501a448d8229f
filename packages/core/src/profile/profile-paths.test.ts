import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataHome, isValidProfileName, profileDir } from './profile-paths';

const userHome = '/home/ada';

describe('profile folders', () => {
  it('uses XDG_DATA_HOME, else ~/.local/share, on Linux', () => {
    expect(profileDir({ env: {}, platform: 'linux', userHome })).toBe('/home/ada/.local/share/discordopus/profiles/default');
    expect(profileDir({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', userHome, profile: 'work' })).toBe('/data/discordopus/profiles/work');
    // A relative XDG_DATA_HOME is invalid by the spec and ignored.
    expect(dataHome({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', userHome })).toBe('/home/ada/.local/share/discordopus');
  });

  it('uses the platform folder on macOS and Windows', () => {
    expect(dataHome({ env: {}, platform: 'darwin', userHome })).toBe('/home/ada/Library/Application Support/discordopus');
    expect(dataHome({ env: { APPDATA: '/appdata' }, platform: 'win32', userHome })).toBe(join('/appdata', 'discordopus'));
  });

  it('DISCORDOPUS_HOME overrides the platform folder, and --home overrides both', () => {
    const env = { DISCORDOPUS_HOME: '/tmp/dopus', XDG_DATA_HOME: '/data' };
    expect(profileDir({ env, platform: 'linux', userHome, profile: 'bob' })).toBe('/tmp/dopus/profiles/bob');
    expect(profileDir({ env, platform: 'linux', userHome, profile: 'bob', home: '/srv/x' })).toBe('/srv/x/profiles/bob');
  });

  it('accepts only safe profile names', () => {
    for (const good of ['default', 'a', 'Work-2', 'alice_test', 'x'.repeat(32)]) expect(isValidProfileName(good), good).toBe(true);
    for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', '-x', '_x', 'x'.repeat(33), 'é', 'a b', 'a.b', 'nul\u0000']) {
      expect(isValidProfileName(bad), bad).toBe(false);
    }
    expect(() => profileDir({ profile: '../etc', env: {}, userHome })).toThrow(expect.objectContaining({ code: 'BAD_PROFILE_NAME' }));
  });
});

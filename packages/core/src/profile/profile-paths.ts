import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { VaultError } from '../vault/vault-error';

/**
 * Where profiles live. One folder per profile:
 *
 *   <home>/profiles/<name>/   vault.db (+ -wal, -shm), vault-kdf.json, profile.lock
 *
 * `<home>` is, first match wins: the explicit option (the `--home DIR` flag), the
 * `DISCORDOPUS_HOME` environment variable, then the platform's data directory +
 * `discordopus`: `$XDG_DATA_HOME` or `~/.local/share` on Linux and other Unixes,
 * `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
 */
export const DEFAULT_PROFILE_NAME = 'default';
export const HOME_ENV_VAR = 'DISCORDOPUS_HOME';
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export interface ProfileLocation {
  /** `--profile NAME`; default `default`. */
  profile?: string | undefined;
  /** `--home DIR`; overrides the environment. */
  home?: string | undefined;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  userHome?: string;
}

export function isValidProfileName(name: string): boolean {
  return PROFILE_NAME.test(name);
}

export function assertValidProfileName(name: string): string {
  if (!isValidProfileName(name)) throw VaultError.badProfileName(name);
  return name;
}

export function dataHome(options: Omit<ProfileLocation, 'profile'> = {}): string {
  const env = options.env ?? process.env;
  if (options.home) return resolve(options.home);
  if (env[HOME_ENV_VAR]) return resolve(env[HOME_ENV_VAR]);
  const userHome = options.userHome ?? homedir();
  switch (options.platform ?? process.platform) {
    case 'darwin':
      return join(userHome, 'Library', 'Application Support', 'discordopus');
    case 'win32':
      return join(env.APPDATA ?? join(userHome, 'AppData', 'Roaming'), 'discordopus');
    default: {
      const xdg = env.XDG_DATA_HOME;
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const base = xdg && xdg.startsWith('/') ? xdg : join(userHome, '.local', 'share');
      return join(base, 'discordopus');
    }
  }
}

/** The folder of one profile (not created here: `Vault.create` makes it). */
export function profileDir(options: ProfileLocation = {}): string {
  const name = assertValidProfileName(options.profile ?? DEFAULT_PROFILE_NAME);
  return join(dataHome(options), 'profiles', name);
}

import { accessSync, constants, mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { defaultDownloadsDir, SettingsError, type Vault } from '@discordopus/core';
import type { BridgeParams, Settings } from '@discordopus/protocol/bridge';
import { FileBridgeError } from './file-bridge-error';

type FileSettings = Pick<Settings, 'downloadsDir' | 'maxReceiveBytes' | 'autoAcceptVerifiedMaxBytes'>;
type FileSettingsChange = Pick<BridgeParams<'settings.set'>, 'downloadsDir' | 'maxReceiveBytes' | 'autoAcceptVerifiedMaxBytes'>;

/** FILE-01, FILE-03: the file settings as the window shows them: the downloads folder in force (the default when unset). */
export function fileSettingsOf(vault: Pick<Vault, 'settings'>, homeDir?: string): Required<FileSettings> {
  return {
    downloadsDir: vault.settings.get('files.downloadsDir') ?? defaultDownloadsDir(homeDir),
    maxReceiveBytes: vault.settings.get('files.maxReceiveBytes'),
    autoAcceptVerifiedMaxBytes: vault.settings.get('files.autoAcceptVerifiedMaxBytes'),
  };
}

/**
 * Store the file settings of a `settings.set` (validated by the bridge schema). A new downloads
 * folder must be an absolute path on this platform that can be created and written to; it is
 * checked (and made, 0700) before anything is stored. null goes back to the default.
 */
export function applyFileSettings(vault: Pick<Vault, 'settings' | 'dir'>, change: FileSettingsChange): void {
  const { downloadsDir, maxReceiveBytes, autoAcceptVerifiedMaxBytes } = change;
  if (downloadsDir !== undefined && downloadsDir !== null) {
    if (!isAbsolute(downloadsDir)) throw new SettingsError('INVALID_SETTING', 'The downloads folder must be a full path.');
    // Not inside the profile folder (staged uploads, the vault): the start-up clean-up works there.
    if (isInside(downloadsDir, vault.dir)) throw FileBridgeError.insideProfile();
    try {
      mkdirSync(downloadsDir, { recursive: true, mode: 0o700 });
      accessSync(downloadsDir, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw FileBridgeError.notWritable(err);
    }
    if (isInside(realpathSync(downloadsDir), realpathSync(vault.dir))) throw FileBridgeError.insideProfile();
  }
  if (downloadsDir !== undefined) vault.settings.set('files.downloadsDir', downloadsDir);
  if (maxReceiveBytes !== undefined) vault.settings.set('files.maxReceiveBytes', maxReceiveBytes);
  if (autoAcceptVerifiedMaxBytes !== undefined) vault.settings.set('files.autoAcceptVerifiedMaxBytes', autoAcceptVerifiedMaxBytes);
}

/** `path` is `folder` or lies under it. */
function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

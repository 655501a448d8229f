import { DiscordOpusError } from '@discordopus/protocol';

export type VaultErrorCode =
  | 'WRONG_PASSPHRASE'
  | 'WEAK_PASSPHRASE'
  | 'VAULT_NOT_FOUND'
  | 'VAULT_EXISTS'
  | 'VAULT_TOO_NEW'
  | 'VAULT_NOT_ENCRYPTED'
  | 'VAULT_CORRUPT'
  | 'VAULT_CLOSED'
  | 'BAD_KEY_FILE'
  | 'PROFILE_IN_USE'
  | 'BAD_PROFILE_NAME'
  | 'BACKUP_INVALID'
  | 'BACKUP_TOO_LARGE'
  | 'BACKUP_UNSUPPORTED'
  | 'BACKUP_TAMPERED';

/** Errors of the encrypted vault, its profile folder and identity backups (CONVENTIONS 5). */
export class VaultError extends DiscordOpusError<VaultErrorCode> {
  static wrongPassphrase(what: 'vault' | 'backup' = 'vault', cause?: unknown): VaultError {
    const message =
      what === 'vault'
        ? 'The passphrase is wrong (or the vault file is damaged).'
        : 'The backup passphrase is wrong.';
    return new VaultError('WRONG_PASSPHRASE', message, { cause });
  }

  static weakPassphrase(reason: string): VaultError {
    return new VaultError('WEAK_PASSPHRASE', reason);
  }

  static notFound(dir: string): VaultError {
    return new VaultError('VAULT_NOT_FOUND', `There is no vault in ${dir}: create one first.`);
  }

  static exists(dir: string): VaultError {
    return new VaultError('VAULT_EXISTS', `A vault already exists in ${dir}; it was left untouched.`);
  }

  static tooNew(found: number, supported: number): VaultError {
    return new VaultError(
      'VAULT_TOO_NEW',
      `This vault was written by a newer DiscordOpus (schema ${found}; this version knows up to ${supported}). ` +
        'Update DiscordOpus to open it; the file was not changed.',
    );
  }

  static notEncrypted(detail: string): VaultError {
    return new VaultError('VAULT_NOT_ENCRYPTED', `Refusing to use an unencrypted vault: ${detail}`);
  }

  static corrupt(detail: string, cause?: unknown): VaultError {
    return new VaultError('VAULT_CORRUPT', `The vault is damaged: ${detail}`, { cause });
  }

  static closed(): VaultError {
    return new VaultError('VAULT_CLOSED', 'The vault is closed.');
  }

  static badKeyFile(detail: string, cause?: unknown): VaultError {
    return new VaultError('BAD_KEY_FILE', `The vault's key parameters file is unreadable: ${detail}`, { cause });
  }

  static profileInUse(dir: string): VaultError {
    return new VaultError(
      'PROFILE_IN_USE',
      `The profile in ${dir} is open in another DiscordOpus process. Close it, or choose another profile.`,
    );
  }

  static badProfileName(name: string): VaultError {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
    return new VaultError(
      'BAD_PROFILE_NAME',
      `"${shown}" is not a valid profile name: use 1 to 32 letters, digits, "-" or "_", starting with a letter or digit.`,
    );
  }

  static backupInvalid(detail: string, cause?: unknown): VaultError {
    return new VaultError('BACKUP_INVALID', `This is not a DiscordOpus identity backup: ${detail}`, { cause });
  }

  static backupTooLarge(bytes: number, max: number): VaultError {
    return new VaultError('BACKUP_TOO_LARGE', `The backup file is ${bytes} bytes; a backup is at most ${max} bytes.`);
  }

  static backupUnsupported(version: number): VaultError {
    return new VaultError(
      'BACKUP_UNSUPPORTED',
      `The backup has format version ${version}, which this DiscordOpus cannot read. Update DiscordOpus.`,
    );
  }

  static backupTampered(cause?: unknown): VaultError {
    return new VaultError(
      'BACKUP_TAMPERED',
      'The backup file was changed after it was written (its authentication failed); it cannot be trusted.',
      { cause },
    );
  }
}

import { DiscordOpusError } from '@discordopus/protocol';

export type SettingsErrorCode = 'UNKNOWN_SETTING' | 'INVALID_SETTING';

export class SettingsError extends DiscordOpusError<SettingsErrorCode> {
  static unknown(key: string): SettingsError {
    return new SettingsError('UNKNOWN_SETTING', `There is no setting named "${key.slice(0, 80)}".`);
  }

  static invalid(key: string, detail: string): SettingsError {
    return new SettingsError('INVALID_SETTING', `Invalid value for ${key}: ${detail}`);
  }
}

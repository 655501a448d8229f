import { DiscordOpusError } from '@discordopus/protocol';

export type IdentityErrorCode = 'BAD_DISPLAY_NAME';

export class IdentityError extends DiscordOpusError<IdentityErrorCode> {
  static badDisplayName(message: string): IdentityError {
    return new IdentityError('BAD_DISPLAY_NAME', message);
  }
}

import { DiscordOpusError } from '@discordopus/protocol';

export type CoreSessionErrorCode = 'PROFILE_BUSY' | 'SESSION_CLOSED';

/** The session itself refused a call (the vault's and the network's errors pass through as they are). */
export class CoreSessionError extends DiscordOpusError<CoreSessionErrorCode> {
  static busy(): CoreSessionError {
    return new CoreSessionError('PROFILE_BUSY', 'Another profile operation is still running; try again in a moment.');
  }

  static closed(): CoreSessionError {
    return new CoreSessionError('SESSION_CLOSED', 'DiscordOpus is shutting down.');
  }
}

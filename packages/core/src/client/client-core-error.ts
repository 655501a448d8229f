import { DiscordOpusError } from '@discordopus/protocol';

export type ClientCoreErrorCode = 'SIGNAL_HANDLER_ATTACHED';

export class ClientCoreError extends DiscordOpusError<ClientCoreErrorCode> {
  static signalHandlerAttached(): ClientCoreError {
    return new ClientCoreError('SIGNAL_HANDLER_ATTACHED', 'Relayed signals already go to another handler; detach it first.');
  }
}

import { DiscordOpusError } from '@discordopus/protocol';

export type ClientCoreErrorCode = 'SIGNAL_HANDLER_ATTACHED' | 'NO_FILES';

export class ClientCoreError extends DiscordOpusError<ClientCoreErrorCode> {
  static signalHandlerAttached(): ClientCoreError {
    return new ClientCoreError('SIGNAL_HANDLER_ATTACHED', 'Relayed signals already go to another handler; detach it first.');
  }

  static noFiles(): ClientCoreError {
    return new ClientCoreError('NO_FILES', 'This core was built without file transfers.');
  }
}

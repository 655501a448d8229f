import { DiscordOpusError } from '../errors/discordopus-error';

export type BridgeErrorCode =
  | 'BRIDGE_BAD_FRAME'
  | 'BRIDGE_UNKNOWN_METHOD'
  | 'BRIDGE_BAD_PARAMS'
  | 'BRIDGE_BAD_RESULT'
  | 'BRIDGE_CLOSED'
  | 'BRIDGE_TIMEOUT';

/** Something went wrong on the bridge itself rather than in the core behind it. */
export class BridgeError extends DiscordOpusError<BridgeErrorCode> {
  static badFrame(detail: string): BridgeError {
    return new BridgeError('BRIDGE_BAD_FRAME', `The bridge received a malformed frame: ${detail}`);
  }

  static unknownMethod(method: string): BridgeError {
    return new BridgeError('BRIDGE_UNKNOWN_METHOD', `There is no bridge call named "${method.slice(0, 64)}".`);
  }

  static badParams(method: string, detail: string): BridgeError {
    return new BridgeError('BRIDGE_BAD_PARAMS', `Invalid input for ${method}: ${detail}`);
  }

  static badResult(method: string, detail: string): BridgeError {
    return new BridgeError('BRIDGE_BAD_RESULT', `The core answered ${method} with something unexpected: ${detail}`);
  }

  static closed(): BridgeError {
    return new BridgeError('BRIDGE_CLOSED', 'The connection to the DiscordOpus core is closed.');
  }

  static timeout(method: string, afterMs: number): BridgeError {
    return new BridgeError('BRIDGE_TIMEOUT', `The core did not answer ${method} within ${Math.round(afterMs / 1000)} s.`);
  }
}

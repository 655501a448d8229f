import { DiscordOpusError } from '@discordopus/protocol';

export type SignalingErrorCode =
  | 'BAD_SERVER_URL'
  | 'INSECURE_SERVER_URL'
  | 'SERVER_IDENTITY_MISMATCH'
  | 'UNSUPPORTED_VERSION'
  | 'AUTH_REJECTED'
  | 'CONNECTED_ELSEWHERE'
  | 'NOT_CONNECTED';

export class SignalingError extends DiscordOpusError<SignalingErrorCode> {
  static badUrl(why: string): SignalingError {
    return new SignalingError('BAD_SERVER_URL', `The signaling server URL is not valid: ${why}`);
  }

  static insecureUrl(host: string): SignalingError {
    return new SignalingError(
      'INSECURE_SERVER_URL',
      `Refusing an unencrypted ws:// connection to ${host}: use wss:// (ws:// is only allowed to this computer).`,
    );
  }

  static identityMismatch(): SignalingError {
    return new SignalingError(
      'SERVER_IDENTITY_MISMATCH',
      'The server announced a different identity than the one configured: it may be a different or impersonating server.',
    );
  }

  static unsupportedVersion(server: number, ours: number): SignalingError {
    return new SignalingError(
      'UNSUPPORTED_VERSION',
      `The server speaks protocol version ${server}; this app speaks version ${ours}. Update the app or the server.`,
    );
  }

  /** A 4426 close: the server refused our version without saying which one it speaks. */
  static versionRefused(ours: number): SignalingError {
    return new SignalingError(
      'UNSUPPORTED_VERSION',
      `The server does not support protocol version ${ours}, which this app speaks. Update the app or the server.`,
    );
  }

  static authRejected(): SignalingError {
    return new SignalingError(
      'AUTH_REJECTED',
      'The server refused this identity’s login (also check that this computer’s clock is set correctly).',
    );
  }

  static connectedElsewhere(): SignalingError {
    return new SignalingError(
      'CONNECTED_ELSEWHERE',
      'This identity connected to the server from somewhere else, which took over this session.',
    );
  }

  static notConnected(): SignalingError {
    return new SignalingError('NOT_CONNECTED', 'Not connected to the signaling server.');
  }
}

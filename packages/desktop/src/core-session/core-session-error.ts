import type { OpenLinkResult } from '@discordopus/core';
import { DiscordOpusError } from '@discordopus/protocol';

export type CoreSessionErrorCode = 'PROFILE_BUSY' | 'SESSION_CLOSED' | 'LINK_UNREACHABLE' | 'LINK_FAILED' | 'INVISIBLE';

/** The session itself refused a call (the vault's and the network's errors pass through as they are). */
export class CoreSessionError extends DiscordOpusError<CoreSessionErrorCode> {
  static busy(): CoreSessionError {
    return new CoreSessionError('PROFILE_BUSY', 'Another profile operation is still running; try again in a moment.');
  }

  /** P2P-01: a link goes only to a mutual contact who is online while we are connected. */
  static linkUnreachable(): CoreSessionError {
    return new CoreSessionError('LINK_UNREACHABLE', 'This contact is not online (or you are not connected), so no direct link can be opened now.');
  }

  /** P2P-01: the link could not be started for a reason of this computer (the engine, the core stopping). */
  static linkFailed(reason: string): CoreSessionError {
    return new CoreSessionError('LINK_FAILED', `No direct link could be started: ${reason}`);
  }

  /** PRES-01, P2P-01: an open the app made by itself ('auto') while the own status is invisible. */
  static invisible(): CoreSessionError {
    return new CoreSessionError('INVISIBLE', 'You are invisible, so no link is opened until you send a message or start a call.');
  }

  static closed(): CoreSessionError {
    return new CoreSessionError('SESSION_CLOSED', 'DiscordOpus is shutting down.');
  }
}

/** P2P-01, PRES-01: the session's error for a link the core did not open. */
export function openRefusal(refused: Extract<OpenLinkResult, { ok: false }>): CoreSessionError {
  if (refused.code === 'NOT_MUTUAL_ONLINE') return CoreSessionError.linkUnreachable();
  if (refused.code === 'INVISIBLE') return CoreSessionError.invisible();
  return CoreSessionError.linkFailed(refused.reason);
}

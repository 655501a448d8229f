import { base64urlToBytes, bytesToHex, type ServerMessage } from '@discordopus/protocol';
import type { ContactRequestManager } from '../contact-requests';
import type { IceManager } from '../ice/ice-manager';
import type { Logger } from '../logging/logger';
import type { PresenceManager } from '../presence/presence-manager';
import type { SignalHandler } from './client-core-events';

/** Where the root sends what the signaling server says (see ClientCore's wiring diagram). */
export interface ServerMessageTargets {
  presence: PresenceManager;
  ice: IceManager;
  /** The attached link manager (null: relayed signals are dropped). */
  signalHandler: SignalHandler | null;
  /** Contact requests and blocking (CONT-06); null: requests are dropped. */
  requests: ContactRequestManager | null;
  log: Logger;
}

/** One frame from the signaling server to the part that handles it (exhaustive). */
export function routeServerMessage(message: ServerMessage, to: ServerMessageTargets): void {
  const { presence, ice } = to;
  switch (message.type) {
    case 'presence.snapshot':
      return presence.handleSnapshot(message);
    case 'presence.update':
      return presence.handleUpdate(message);
    case 'ice.servers':
      return ice.handleServerIce(message.iceServers, message.iceExpiresAtMs);
    case 'session.error':
      to.log.debug({ code: message.code, about: message.about }, 'server refused a message');
      if (message.code === 'RATE_LIMITED') presence.handleRateLimited(message.about);
      return;
    case 'signal.relay': {
      if (to.signalHandler === null) return to.log.debug({}, 'relayed signal with no link manager; dropped');
      const from = bytesToHex(base64urlToBytes(message.from));
      // CONT-06: nothing from a blocked key reaches the links (the server should not relay it anyway).
      if (to.requests?.isBlocked(from)) return to.log.debug({}, 'signal from a blocked key; dropped');
      return to.signalHandler.handleSignal({ from, payload: message.payload });
    }
    case 'signal.error':
      return to.signalHandler?.handleSignalError({ id: message.id, code: message.code });
    case 'contact.request':
      if (to.requests === null) return to.log.debug({}, 'contact request with no request manager; dropped');
      return to.requests.handleRequest({ from: bytesToHex(base64urlToBytes(message.from)), payload: message.payload });
    case 'contact.request.error':
      return to.requests?.handleRequestError({ id: message.id, code: message.code });
    case 'auth.hello':
    case 'auth.welcome':
    case 'heartbeat.pong':
      return;
    default: {
      const never: never = message;
      return never;
    }
  }
}

import { BRIDGE_SUBPROTOCOL, BRIDGE_TOKEN_SUBPROTOCOL_PREFIX } from '@discordopus/protocol/bridge';
import type { BridgeConnector } from './bridge-transport';

/**
 * A connector over a real WebSocket. The session secret travels as a Sec-WebSocket-Protocol
 * entry, so it is never part of a URL that a log could record.
 */
export function websocketConnector(bridgeUrl: string, secret: string): BridgeConnector {
  return (listeners) => {
    const socket = new WebSocket(bridgeUrl, [BRIDGE_SUBPROTOCOL, `${BRIDGE_TOKEN_SUBPROTOCOL_PREFIX}${secret}`]);
    socket.addEventListener('open', () => listeners.onOpen());
    socket.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data === 'string') listeners.onMessage(event.data);
    });
    socket.addEventListener('close', () => listeners.onClose());
    return {
      send: (text) => socket.send(text),
      close: () => socket.close(1000),
    };
  };
}

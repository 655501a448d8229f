import { base64urlToBytes, bytesToBase64url, bytesToHex } from '@discordopus/protocol';
import { createWsSocket, type SignalingSocket } from '../../src/signaling/signaling-socket';

/**
 * A real `ws` socket whose incoming `contact.request` frames are recorded (keys in hex) and can
 * be added to: `inject` delivers a frame as if the server had relayed it (failure injection for
 * forged, replayed and foreign requests). Everything else passes through untouched.
 */
export interface RequestTap {
  createSocket: (url: string) => SignalingSocket;
  /** Every contact.request the server delivered, as it delivered it. */
  received: { from: string; payload: string }[];
  inject(m: { from: string; payload: string }, type?: 'contact.request' | 'signal.relay'): void;
}

export function requestTap(): RequestTap {
  const listeners = new Set<(event: { data: unknown }) => void>();
  const tap: RequestTap = {
    received: [],
    inject: (m, type = 'contact.request') => {
      const data = JSON.stringify({ type, from: bytesToBase64url(Buffer.from(m.from, 'hex')), payload: m.payload });
      for (const listener of listeners) listener({ data });
    },
    createSocket: (url) => {
      const socket = createWsSocket(url);
      return {
        get readyState() {
          return socket.readyState;
        },
        send: (data) => socket.send(data),
        close: (code, reason) => socket.close(code, reason),
        addEventListener: ((type: 'open' | 'message' | 'close' | 'error', listener: (event: { data: unknown }) => void) => {
          if (type !== 'message') return socket.addEventListener(type as 'error', listener as (event: unknown) => void);
          listeners.clear(); // one live socket at a time: inject into the newest
          listeners.add(listener);
          socket.addEventListener('message', (event) => {
            const text = typeof event.data === 'string' ? event.data : Buffer.from(event.data as Buffer).toString('utf8');
            try {
              const frame = JSON.parse(text) as { type?: unknown; from?: unknown; payload?: unknown };
              if (frame.type === 'contact.request' && typeof frame.from === 'string' && typeof frame.payload === 'string') {
                tap.received.push({ from: bytesToHex(base64urlToBytes(frame.from)), payload: frame.payload });
              }
            } catch {
              // not JSON: the client's own parser reports it
            }
            listener(event);
          });
        }) as SignalingSocket['addEventListener'],
      };
    },
  };
  return tap;
}

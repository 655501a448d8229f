import WebSocket from 'ws';
import { LIMITS } from '@discordopus/protocol';

/**
 * The socket the signaling client needs: the WHATWG WebSocket shape, which both the `ws`
 * package and browsers implement, so tests can inject their own or a failing one.
 */
export interface SignalingSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason?: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

export type CreateSignalingSocket = (url: string) => SignalingSocket;

/** Server frames are small; anything bigger than our own frame bound is hostile. */
const MAX_SERVER_FRAME_BYTES = LIMITS.maxFrameBytes;

export const createWsSocket: CreateSignalingSocket = (url) =>
  // No handshake timeout here: the signaling client's connect timer bounds open + login together.
  new WebSocket(url, { maxPayload: MAX_SERVER_FRAME_BYTES, perMessageDeflate: false }) as unknown as SignalingSocket;

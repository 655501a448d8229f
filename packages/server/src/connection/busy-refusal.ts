import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { busyCloseReason, CLOSE_CODES } from '@discordopus/protocol';

// RFC 6455 §1.3.
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** A refused client that does not close its side is cut after this. */
const LINGER_MS = 2_000;

/**
 * Refuse a WebSocket upgrade with close 4529 `SERVER_BUSY` (PROTOCOL.md §5.9) at the least cost
 * a client can still read: the 101 answer and the close frame in one write, then FIN. No
 * WebSocket object, parser or timer of `ws` is made for it, as a storm sends thousands of these
 * a second. A request that is not a well-formed WebSocket upgrade gets 400, as `ws` would.
 */
export function refuseBusy(req: IncomingMessage, socket: Socket, retryMs: number): void {
  const key = req.headers['sec-websocket-key'];
  const upgrade = req.headers.upgrade;
  if (
    req.method !== 'GET' ||
    typeof upgrade !== 'string' ||
    upgrade.toLowerCase() !== 'websocket' ||
    typeof key !== 'string' ||
    !KEY.test(key) ||
    req.headers['sec-websocket-version'] !== '13'
  ) {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
  const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
  const reason = busyCloseReason(retryMs);
  // One buffer, one write: the 101 answer, then the close frame.
  const out = Buffer.allocUnsafe(head.length + 4 + reason.length);
  const at = out.write(head, 0, 'latin1');
  out[at] = 0x88; // FIN + close
  out[at + 1] = 2 + reason.length; // unmasked, at most 2 + 5 bytes
  out.writeUInt16BE(CLOSE_CODES.SERVER_BUSY, at + 2);
  out.write(reason, at + 4, 'latin1');
  socket.setTimeout(LINGER_MS, () => socket.destroy());
  socket.end(out);
}

/**
 * A lower floor for bench:auth-rate than `bare-login-server.ts`: the same login (floor-login.ts) on raw
 * `node:net` sockets, with the HTTP upgrade and the WebSocket frames read and written by hand:
 * no `http` module, no `ws`. It is not a server anyone should run — it checks nothing it does
 * not need for the bench's well-behaved clients (one small masked frame, no fragments, no close
 * handshake) — but it shows what a login costs on Node once the HTTP and WebSocket libraries
 * are gone, and so how far any server built on them can get on this machine.
 * Usage: `node --import tsx bench/lib/raw-login-server.ts <port>`.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { type FloorLogin, floorLogin } from './floor-login';

const port = Number(process.argv[2]);
const serverId = `ws://127.0.0.1:${port}`;
function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const len = body.length;
  const head = len < 126 ? Buffer.from([0x81, len]) : Buffer.from([0x81, 126, len >> 8, len & 255]);
  return Buffer.concat([head, body]);
}
const server = createServer({ noDelay: true }, (socket) => {
  let buf: Buffer | null = null;
  let stage = 0;
  let login: FloorLogin;
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    buf = buf === null ? chunk : Buffer.concat([buf, chunk]);
    if (stage === 0) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = buf.toString('latin1', 0, end);
      const m = /\r\nsec-websocket-key: *([^\r]+)/i.exec(text);
      if (!m) return socket.destroy();
      const accept = createHash('sha1').update(m[1] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      login = floorLogin(serverId);
      const hello = frame(login.hello);
      socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`, 'latin1'), hello]));
      buf = buf.length > end + 4 ? buf.subarray(end + 4) : null;
      stage = 1;
      if (buf === null) return;
    }
    if (stage === 1) {
      if (buf.length < 2) return;
      let len = buf[1]! & 127;
      let off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      if (buf.length < off + 4 + len) return;
      const mask = buf.subarray(off, off + 4);
      const payload = Buffer.allocUnsafe(len);
      for (let i = 0; i < len; i++) payload[i] = buf[off + 4 + i]! ^ mask[i & 3]!;
      stage = 2;
      buf = null;
      const welcome = login.answer(payload.toString());
      if (welcome === null) return socket.destroy();
      socket.write(frame(welcome));
    }
  });
});
server.listen(port, '127.0.0.1');

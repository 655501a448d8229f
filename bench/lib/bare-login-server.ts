/**
 * The floor for bench:auth-rate: the least a WebSocket login server on Node can do with `ws`.
 * An HTTP server hands upgrades to `ws`; each socket does the floor login (floor-login.ts). No schema, no limits, no sessions, no presence,
 * no metrics: everything our server does besides is what the comparison measures.
 * Usage: `node --import tsx bench/lib/bare-login-server.ts <port>`.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { floorLogin } from './floor-login';

const port = Number(process.argv[2]);
const serverId = `ws://127.0.0.1:${port}`;
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false, clientTracking: false });
http.on('upgrade', (req, socket, head) => {
  socket.on('error', () => socket.destroy());
  wss.handleUpgrade(req, socket, head, (ws) => {
    const login = floorLogin(serverId);
    ws.send(login.hello);
    ws.once('message', (data) => {
      const welcome = login.answer(data.toString());
      if (welcome === null) ws.close(4401);
      else ws.send(welcome);
    });
    ws.on('error', () => undefined);
  });
});
http.listen(port, '127.0.0.1');

/**
 * The floor for bench:auth-rate: the least a WebSocket login server on Node can do with `ws`.
 * An HTTP server hands upgrades to `ws`; each socket gets a hello with a random nonce, and its
 * first frame is JSON-parsed and its Ed25519 proof verified (the raw key imported as a JWK, as
 * our server does) before a welcome goes back. No schema, no limits, no sessions, no presence,
 * no metrics: everything our server does besides is what the comparison measures.
 * Usage: `node --import tsx bench/lib/bare-login-server.ts <port>`.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { authProofSigningInput, PROTOCOL_VERSION } from '@discordopus/protocol';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2]);
const serverId = `ws://127.0.0.1:${port}`;
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false, clientTracking: false });
http.on('upgrade', (req, socket, head) => {
  socket.on('error', () => socket.destroy());
  wss.handleUpgrade(req, socket, head, (ws) => {
    const nonce = randomBytes(32);
    ws.send(JSON.stringify({ type: 'auth.hello', protocolVersion: PROTOCOL_VERSION, serverId, nonce: nonce.toString('base64url'), authDeadlineMs: 5000 }));
    ws.once('message', (data) => {
      const proof = JSON.parse(data.toString()) as { publicKey: string; timestampMs: number; signature: string };
      const input = authProofSigningInput({ protocolVersion: PROTOCOL_VERSION, serverId, nonce, timestampMs: proof.timestampMs, publicKey: proof.publicKey });
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: proof.publicKey }, format: 'jwk' });
      if (!verify(null, input, key, Buffer.from(proof.signature, 'base64url'))) {
        ws.close(4401);
        return;
      }
      ws.send(JSON.stringify({ type: 'auth.welcome', sessionId: randomBytes(16).toString('base64url'), publicKey: proof.publicKey, heartbeatIntervalMs: 25000 }));
    });
    ws.on('error', () => undefined);
  });
});
http.listen(port, '127.0.0.1');

/**
 * The login both floor servers of bench:auth-rate do (bare-login-server.ts, raw-login-server.ts):
 * a hello with a random nonce, then the first frame JSON-parsed and its Ed25519 proof verified
 * (the raw key imported as a JWK, as our server does) before a welcome. Nothing else.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { authProofSigningInput, PROTOCOL_VERSION } from '@discordopus/protocol';

export interface FloorLogin {
  /** The hello frame's text. */
  hello: string;
  /** The welcome frame's text for a valid proof, null for a bad one. */
  answer(proofText: string): string | null;
}

export function floorLogin(serverId: string): FloorLogin {
  const nonce = randomBytes(32);
  return {
    hello: JSON.stringify({ type: 'auth.hello', protocolVersion: PROTOCOL_VERSION, serverId, nonce: nonce.toString('base64url'), authDeadlineMs: 5000 }),
    answer(proofText) {
      const proof = JSON.parse(proofText) as { publicKey: string; timestampMs: number; signature: string };
      const input = authProofSigningInput({ protocolVersion: PROTOCOL_VERSION, serverId, nonce, timestampMs: proof.timestampMs, publicKey: proof.publicKey });
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: proof.publicKey }, format: 'jwk' });
      if (!verify(null, input, key, Buffer.from(proof.signature, 'base64url'))) return null;
      return JSON.stringify({ type: 'auth.welcome', sessionId: randomBytes(16).toString('base64url'), publicKey: proof.publicKey, heartbeatIntervalMs: 25000 });
    },
  };
}

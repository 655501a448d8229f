import {
  authProofSigningInput,
  base64urlToBytes,
  type ClientMessageOf,
  PROTOCOL_VERSION,
} from '@discordopus/protocol';
import { verifyEd25519 } from './ed25519-verify';
import type { PublicKeyGate } from './public-key-gate';

export type AuthRefusal = 'unsupported_version' | 'nonce_used' | 'stale_timestamp' | 'bad_key' | 'bad_signature';

export interface AuthChallenge {
  readonly serverId: string;
  readonly nonce: Uint8Array;
  /** Set once a proof has been checked against this nonce: a nonce is good for one attempt. */
  used: boolean;
}

/**
 * Check a login proof against the challenge issued on this socket (INFR-04). The nonce is
 * implicit: the signature must cover the nonce this socket was given, so a proof captured on
 * another socket, or made for another server or purpose, does not verify. The key must pass the
 * protocol's key rule first: for a small-order key the signature R = identity, S = 0 verifies
 * (node:crypto accepts it), so without the rule anyone could log in as such a key.
 */
export function checkAuthProof(
  proof: ClientMessageOf<'auth.proof'>,
  challenge: AuthChallenge,
  nowMs: number,
  skewMs: number,
  keys: PublicKeyGate,
): AuthRefusal | null {
  if (challenge.used) return 'nonce_used';
  challenge.used = true;
  if (proof.protocolVersion !== PROTOCOL_VERSION) return 'unsupported_version';
  if (Math.abs(nowMs - proof.timestampMs) > skewMs) return 'stale_timestamp';
  // Canonical and not of small order here; on the curve is proven by the signature check below.
  if (!keys.admissible(proof.publicKey)) return 'bad_key';
  const input = authProofSigningInput({
    protocolVersion: PROTOCOL_VERSION,
    serverId: challenge.serverId,
    nonce: challenge.nonce,
    timestampMs: proof.timestampMs,
    publicKey: proof.publicKey,
  });
  const ok = verifyEd25519(base64urlToBytes(proof.publicKey), input, base64urlToBytes(proof.signature));
  if (!ok) return 'bad_signature';
  keys.verified(proof.publicKey);
  return null;
}

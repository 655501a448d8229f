import { base64urlToBytes } from '../encoding/bytes';
import { authProofBody, signingInput } from '../signing/purposes';
import { PROTOCOL_VERSION } from '../version';

export interface AuthProofInput {
  /** Defaults to this implementation's PROTOCOL_VERSION. */
  protocolVersion?: number;
  /** `serverId` from the server's `auth.hello`. */
  serverId: string;
  /** `nonce` from the server's `auth.hello`: raw bytes or its base64url text. */
  nonce: Uint8Array | string;
  timestampMs: number;
  /** The client's Ed25519 public key: raw bytes or its base64url text. */
  publicKey: Uint8Array | string;
}

const asBytes = (value: Uint8Array | string): Uint8Array =>
  typeof value === 'string' ? base64urlToBytes(value) : value;

/**
 * The exact bytes an `auth.proof` signature covers: `signingInput('auth', authProofBody(…))`
 * (PROTOCOL.md §3.1). Client and server both call this, so they cannot disagree on the layout.
 * Throws only if a string field is not base64url (schemas have already checked that).
 */
export function authProofSigningInput(input: AuthProofInput): Uint8Array {
  return signingInput(
    'auth',
    authProofBody({
      protocolVersion: input.protocolVersion ?? PROTOCOL_VERSION,
      serverId: input.serverId,
      nonce: asBytes(input.nonce),
      timestampMs: input.timestampMs,
      clientPublicKey: asBytes(input.publicKey),
    }),
  );
}

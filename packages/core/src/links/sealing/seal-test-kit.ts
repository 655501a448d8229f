import { bytesToBase64url, SEALED_SIGNAL_PREFIX, sealedSignalBody } from '@discordopus/protocol';
import { randomBytes } from 'node:crypto';
import type { Identity } from '../../identity/identity';
import { aeadSeal, sealKey, x25519Agree, x25519FromSecret, x25519PublicFromEd25519 } from './seal-crypto';

/**
 * Test-only: builds a sealed set-up message field by field, so tests can play a sender that
 * lies (another recipient inside, another signer, a malformed body) while the encryption is
 * still valid. Not exported from the package.
 */
export interface CraftInput {
  signer: Identity;
  /** The sender written inside the signed body (default: the signer). */
  claimedSender?: Uint8Array;
  /** The recipient written inside the signed body (default: encryptTo). */
  signedRecipient?: Uint8Array;
  /** Whose X25519 key the message is sealed to. */
  encryptTo: Uint8Array;
  linkId: string;
  seq: number;
  sentAtMs: number;
  bodyJson: string;
  /** Replace the plaintext after signing (to test layout checks). */
  mutatePlaintext?: (plaintext: Uint8Array) => Uint8Array;
}

export function craftSealed(input: CraftInput): string {
  const signedBody = sealedSignalBody({
    senderPublicKey: input.claimedSender ?? input.signer.publicKey,
    recipientPublicKey: input.signedRecipient ?? input.encryptTo,
    linkId: input.linkId,
    seq: input.seq,
    sentAtMs: input.sentAtMs,
    bodyJson: input.bodyJson,
  });
  const signature = input.signer.sign('signal', signedBody);
  let plaintext: Uint8Array = new Uint8Array([...signedBody, ...signature]);
  if (input.mutatePlaintext) plaintext = input.mutatePlaintext(plaintext);
  const recipientX = x25519PublicFromEd25519(input.encryptTo);
  if (recipientX === null) throw new Error('not a point');
  const ephemeral = x25519FromSecret(new Uint8Array(randomBytes(32)));
  const shared = x25519Agree(ephemeral.privateKey, recipientX);
  if (shared === null) throw new Error('low order');
  const nonce = new Uint8Array(randomBytes(12));
  const sealed = aeadSeal(sealKey(shared, ephemeral.publicKey, input.encryptTo), nonce, plaintext);
  return SEALED_SIGNAL_PREFIX + bytesToBase64url(new Uint8Array([...ephemeral.publicKey, ...nonce, ...sealed]));
}

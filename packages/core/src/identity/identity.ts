import type { KeyObject } from 'node:crypto';
import { encodeUserId, type SigningPurpose } from '@discordopus/protocol';
import { generateKeyPair, keyPairFromSeed, privateKeyFromSeed, signForPurpose, type RawKeyPair } from './ed25519';
import { IdentityError } from './identity-error';
import { checkShortName, SHORT_NAME_MAX } from '../text/short-name';

export const DISPLAY_NAME_MAX = SHORT_NAME_MAX;

/**
 * The user's own identity (IDEN-01): an Ed25519 key pair made on this machine and a display
 * name. The private key is held as a non-extractable-by-accident KeyObject; `seed` exists only
 * so the vault can store it encrypted.
 */
export class Identity {
  readonly publicKey: Uint8Array;
  readonly userId: string;
  readonly displayName: string;
  readonly #privateKey: KeyObject;
  readonly #seed: Uint8Array;

  private constructor(keys: RawKeyPair, displayName: string) {
    this.publicKey = keys.publicKey;
    this.userId = encodeUserId(keys.publicKey);
    this.displayName = displayName;
    this.#seed = keys.seed;
    this.#privateKey = privateKeyFromSeed(keys.seed);
  }

  /** A brand-new identity with a fresh key pair. */
  static create(displayName: string): Identity {
    return new Identity(generateKeyPair(), normalizeDisplayName(displayName));
  }

  /** An identity restored from its stored seed. */
  static fromSeed(seed: Uint8Array, displayName: string): Identity {
    return new Identity(keyPairFromSeed(seed), normalizeDisplayName(displayName));
  }

  withDisplayName(displayName: string): Identity {
    return Identity.fromSeed(this.#seed, displayName);
  }

  sign(purpose: SigningPurpose, body: Uint8Array): Uint8Array {
    return signForPurpose(this.#privateKey, purpose, body);
  }

  /** The raw private seed, for the vault and for backups only. */
  exportSeed(): Uint8Array {
    return new Uint8Array(this.#seed);
  }

  /** Keep the seed out of console.log, JSON and error reports. */
  toJSON(): { userId: string; displayName: string } {
    return { userId: this.userId, displayName: this.displayName };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Identity(${this.userId})`;
  }
}

/** Trim, refuse empty, over-long or control characters. */
export function normalizeDisplayName(raw: string): string {
  const checked = checkShortName(raw, 'A display name');
  if ('problem' in checked) throw IdentityError.badDisplayName(checked.problem);
  return checked.name;
}

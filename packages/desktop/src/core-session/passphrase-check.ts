import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Remembers, for this run only, whether a passphrase is the one that opened the vault, without
 * keeping the passphrase: an HMAC under a random key that never leaves memory. Used where the
 * app asks for the passphrase again on purpose (export a backup, a second window unlocking).
 */
export class PassphraseCheck {
  readonly #key = randomBytes(32);
  #mac: Buffer;

  constructor(passphrase: string) {
    this.#mac = this.#digest(passphrase);
  }

  matches(passphrase: string): boolean {
    return timingSafeEqual(this.#digest(passphrase), this.#mac);
  }

  replace(passphrase: string): void {
    this.#mac = this.#digest(passphrase);
  }

  #digest(passphrase: string): Buffer {
    // The vault normalises passphrases to NFC too, so the same text typed differently matches.
    return createHmac('sha256', this.#key).update(passphrase.normalize('NFC'), 'utf8').digest();
  }
}

/**
 * The layout of a sealed set-up message on the relay (PROTOCOL.md 6.1):
 *
 *   payload = SEALED_SIGNAL_PREFIX || base64url( ephemeral X25519 public key (32)
 *                                               || nonce (12) || ChaCha20-Poly1305 ciphertext+tag )
 *   key     = HKDF-SHA256( ikm = X25519(ephemeral, recipient's X25519 key from its Ed25519 key),
 *                          salt = empty, info = SEAL_INFO_PREFIX || ephemeral public || recipient Ed25519 public,
 *                          length = 32 )
 *
 * The crypto runs in core (node:crypto); this module only names the constants both sides share.
 */
export const SEALED_SIGNAL_PREFIX = 's1.';
export const SEAL_INFO_PREFIX = 'discordopus/v1/signal-seal';
export const SEAL_EPHEMERAL_BYTES = 32;
export const SEAL_NONCE_BYTES = 12;
export const SEAL_TAG_BYTES = 16;
export const SEAL_KEY_BYTES = 32;

/**
 * How long a new passphrase must be and may be, in code points (VAULT-01): the core's gate, the
 * bridge's schema and the app's form all read these.
 */
export const PASSPHRASE_MIN_CHARS = 10;
export const PASSPHRASE_MAX_CHARS = 1024;

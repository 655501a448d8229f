/** Wire protocol version. Signed into every auth proof; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

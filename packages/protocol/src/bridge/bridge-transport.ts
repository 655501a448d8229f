/**
 * How the app reaches the bridge: `ws://127.0.0.1:PORT/bridge`, offering two WebSocket
 * subprotocols: BRIDGE_SUBPROTOCOL (answered by the server) and `discordopus-token.<hex>`
 * carrying the per-launch token. A browser cannot set other headers on a WebSocket, and a
 * header keeps the token out of URLs and logs.
 */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_SUBPROTOCOL = 'discordopus-bridge.v1';
export const BRIDGE_TOKEN_SUBPROTOCOL_PREFIX = 'discordopus-token.';
/** Tokens are lower-case hex (the launcher makes 32 random bytes). */
export const BRIDGE_TOKEN_PATTERN = /^[0-9a-f]{32,128}$/;

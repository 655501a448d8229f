import { z } from 'zod';

/**
 * How the app reaches the bridge (security model: local bridge).
 *
 * 1. The launcher opens `http://127.0.0.1:PORT/#code=<hex>`: a ONE-TIME launch code, short-lived.
 * 2. The app POSTs `{code}` as JSON to `BRIDGE_SESSION_PATH` on the same origin and gets a
 *    session secret back (`{secret}`). A code works once; a second use or an expired code is
 *    refused with an error body `{code, message}`.
 * 3. The app opens `ws://127.0.0.1:PORT/bridge`, offering two WebSocket subprotocols:
 *    BRIDGE_SUBPROTOCOL (answered by the server) and `discordopus-token.<secret>`. A browser
 *    cannot set other headers on a WebSocket, and a header keeps the secret out of URLs and logs.
 */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_SESSION_PATH = '/bridge/session';
export const BRIDGE_SUBPROTOCOL = 'discordopus-bridge.v1';
export const BRIDGE_TOKEN_SUBPROTOCOL_PREFIX = 'discordopus-token.';
/** Codes and secrets are lower-case hex (the launcher makes 32 random bytes). */
export const BRIDGE_TOKEN_PATTERN = /^[0-9a-f]{32,128}$/;
/** The most a session request body may hold. */
export const BRIDGE_SESSION_MAX_BODY_BYTES = 1024;

const hexSecret = z.string().regex(BRIDGE_TOKEN_PATTERN, 'expected 32 to 128 lower-case hex digits');

/** Body of `POST /bridge/session`. */
export const bridgeSessionRequestSchema = z.strictObject({ code: hexSecret });
export type BridgeSessionRequest = z.infer<typeof bridgeSessionRequestSchema>;

/** Answer of a successful `POST /bridge/session`. */
export const bridgeSessionResponseSchema = z.strictObject({ secret: hexSecret });
export type BridgeSessionResponse = z.infer<typeof bridgeSessionResponseSchema>;

export type BridgeSessionErrorCode =
  | 'BRIDGE_BAD_ORIGIN'
  | 'BRIDGE_BAD_REQUEST'
  | 'BRIDGE_CODE_UNKNOWN'
  | 'BRIDGE_CODE_USED'
  | 'BRIDGE_CODE_EXPIRED';

/** Answer of a refused `POST /bridge/session`. */
export const bridgeSessionErrorSchema = z.strictObject({
  code: z.enum(['BRIDGE_BAD_ORIGIN', 'BRIDGE_BAD_REQUEST', 'BRIDGE_CODE_UNKNOWN', 'BRIDGE_CODE_USED', 'BRIDGE_CODE_EXPIRED']),
  message: z.string().max(300),
});
export type BridgeSessionErrorBody = z.infer<typeof bridgeSessionErrorSchema>;

/** The sentence shown for each refusal (the server sends it, the app shows it). */
export const BRIDGE_SESSION_ERROR_MESSAGES: Record<BridgeSessionErrorCode, string> = {
  BRIDGE_BAD_ORIGIN: 'The request does not come from the DiscordOpus page.',
  BRIDGE_BAD_REQUEST: 'The request is not a launch-code exchange.',
  BRIDGE_CODE_UNKNOWN: 'This launch address is not known to the running DiscordOpus: open the address the launcher printed.',
  BRIDGE_CODE_USED: 'This launch address was already used. Each address opens one window: start DiscordOpus again from its launcher.',
  BRIDGE_CODE_EXPIRED: 'This launch address has expired. Start DiscordOpus again from its launcher.',
};

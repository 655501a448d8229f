import { z } from 'zod';
import { callFrameSchema } from '../calls/call-frames';
import { publicKeyHexSchema } from './primitives';

/** A call frame to or from one contact (VOICE-02): the contact's public key (hex) and the frame. */
export const callFrameForBridgeSchema = z.object({ publicKey: publicKeyHexSchema, frame: callFrameSchema });
export type CallFrameForBridge = z.infer<typeof callFrameForBridgeSchema>;

/** One STUN/TURN server for the call's RTCPeerConnection (TURN credentials are short-lived). */
export const callIceServerSchema = z.object({
  urls: z.array(z.string().max(512).regex(/^(stuns?|turns?):\S+$/, 'an ICE server URL starts with stun:, stuns:, turn: or turns:')).min(1).max(8),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});

/** The ICE configuration links use now (the user's servers, the server's TURN, relay-only), for a call. */
export const callIceSchema = z.object({ iceServers: z.array(callIceServerSchema).max(16), relayOnly: z.boolean() });
export type CallIce = z.infer<typeof callIceSchema>;

/**
 * Voice-call calls (VOICE-01..04, PROTOCOL.md §9), spread into `bridgeCalls`. The call itself
 * lives in the app window; the core carries its frames over the contact's direct link. The
 * core's CallWireError codes pass through: CALL_NO_LINK (the contact is not online, or no link
 * can be set up), CALL_NOT_CONTACT, CALL_NOT_SENT (the link closed or is busy).
 */
export const callCalls = {
  /** Send one call frame to the contact; an invite opens the direct link (as a user action). */
  'calls.send': { params: callFrameForBridgeSchema, result: z.null() },
  /** The same ICE configuration as links (P2P-03, VOICE-04), asked before each call and invite. */
  'calls.ice': { params: z.object({}), result: callIceSchema },
} as const;

/** Voice-call events, spread into `bridgeEvents`. */
export const callEvents = {
  /** A call frame from the contact's authenticated direct link, for the call engine. */
  'calls.frame': callFrameForBridgeSchema,
} as const;

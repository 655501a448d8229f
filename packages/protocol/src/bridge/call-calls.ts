import { z } from 'zod';
import { callFrameSchema } from '../calls/call-frames';
import { publicKeyHexSchema } from './primitives';

/** A call frame to or from one contact (VOICE-02): the contact's public key (hex) and the frame. */
export const callFrameForBridgeSchema = z.object({ publicKey: publicKeyHexSchema, frame: callFrameSchema });
export type CallFrameForBridge = z.infer<typeof callFrameForBridgeSchema>;

/**
 * Voice-call calls (VOICE-01..04, PROTOCOL.md §9), spread into `bridgeCalls`. The call itself
 * lives in the app window; the core carries its frames over the contact's direct link. The
 * core's CallWireError codes pass through: CALL_NO_LINK (the contact is not online, or no link
 * can be set up), CALL_NOT_CONTACT, CALL_NOT_SENT (the link closed or is busy).
 */
export const callCalls = {
  /** Send one call frame to the contact; an invite opens the direct link (as a user action). */
  'calls.send': { params: callFrameForBridgeSchema, result: z.null() },
} as const;

/** Voice-call events, spread into `bridgeEvents`. */
export const callEvents = {
  /** A call frame from the contact's authenticated direct link, for the call engine. */
  'calls.frame': callFrameForBridgeSchema,
} as const;

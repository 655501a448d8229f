import { z } from 'zod';
import { callFrameSchema, callIdSchema } from '../calls/call-frames';
import { CALL_LOG_LIMITS, callLogEntrySchema, storedCallLogEntrySchema } from '../calls/call-log';
import { BRIDGE_LIMITS, publicKeyHexSchema } from './primitives';

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

/** One contact's call log, oldest first (the newest `CALL_LOG_LIMITS.pageEntries`). */
export const callLogSchema = z.object({ entries: z.array(storedCallLogEntrySchema).max(CALL_LOG_LIMITS.pageEntries) });
export type CallLog = z.infer<typeof callLogSchema>;

/** How many missed calls of one contact nobody has looked at yet (the unread badge, VOICE-04). */
export const missedCallCountSchema = z.object({ publicKey: publicKeyHexSchema, count: z.number().int().nonnegative() });
export type MissedCallCount = z.infer<typeof missedCallCountSchema>;

/** `calls.logged`: an entry was recorded (by this or another window). */
export const callLoggedSchema = z.object({ publicKey: publicKeyHexSchema, entry: storedCallLogEntrySchema });
export type CallLogged = z.infer<typeof callLoggedSchema>;

/**
 * `calls.answered`: a window of this profile accepted or declined a contact's call (its
 * `call.accept` / `call.decline` went out), so the other windows stop ringing for it.
 */
export const callAnsweredSchema = z.object({ publicKey: publicKeyHexSchema, callId: callIdSchema, answer: z.enum(['accepted', 'declined']) });
export type CallAnswered = z.infer<typeof callAnsweredSchema>;

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
  /**
   * VOICE-04: record a finished call in the vault's call log (each side records its own; nothing
   * goes to the contact or the server). Recording the same `callId` again (another window) replaces
   * the entry only with a better outcome (CALL_OUTCOME_RANK); otherwise it answers the stored entry. CALL_NOT_CONTACT for a key that is not a contact.
   */
  'calls.record': { params: z.object({ publicKey: publicKeyHexSchema, entry: callLogEntrySchema }), result: storedCallLogEntrySchema },
  /** VOICE-04: one contact's call log, for the conversation's timeline. */
  'calls.log': { params: z.object({ publicKey: publicKeyHexSchema }), result: callLogSchema },
  /** VOICE-04: unseen missed calls per contact (only contacts with at least one). */
  'calls.missed': { params: z.object({}), result: z.object({ missed: z.array(missedCallCountSchema).max(BRIDGE_LIMITS.contacts) }) },
  /** VOICE-04: the user saw this contact's missed calls (the conversation was open in a focused window). */
  'calls.markSeen': { params: z.object({ publicKey: publicKeyHexSchema }), result: z.null() },
} as const;

/** Voice-call events, spread into `bridgeEvents`. */
export const callEvents = {
  /** A call frame from the contact's authenticated direct link, for the call engine. */
  'calls.frame': callFrameForBridgeSchema,
  /** VOICE-04: a call was recorded in the log. */
  'calls.logged': callLoggedSchema,
  /** VOICE-04: a contact's count of unseen missed calls changed (recorded, or seen). */
  'calls.missedChanged': missedCallCountSchema,
  /** VOICE-01: another window answered this call (see callAnsweredSchema). */
  'calls.answered': callAnsweredSchema,
} as const;

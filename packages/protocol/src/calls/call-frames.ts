import { z } from 'zod';
import { base64urlToBytes } from '../encoding/bytes';
import { CALL_LIMITS } from './call-limits';

/**
 * Call frames (VOICE-01..04, PROTOCOL.md §9): what two app windows say to each other, through
 * their cores, over the contacts' identity-bound link, to set up and run one 1:1 voice call.
 * The signaling server never sees them (VOICE-02). Discriminated by `type`; every string and
 * array is bounded.
 */

const CALL_ID_CHARS = Math.ceil((CALL_LIMITS.callIdBytes * 4) / 3);

/** A call ID: 16 random bytes (128 bits), canonical unpadded base64url (22 characters). */
export const callIdSchema = z
  .string()
  .length(CALL_ID_CHARS, { message: `a call id is ${CALL_ID_CHARS} base64url characters`, abort: true })
  .refine((text) => {
    try {
      return base64urlToBytes(text).length === CALL_LIMITS.callIdBytes;
    } catch {
      return false;
    }
  }, 'a call id is not canonical base64url');
export type CallId = z.infer<typeof callIdSchema>;

/**
 * A DTLS certificate fingerprint as SDP writes it (`a=fingerprint:sha-256 AB:…`), normalised to
 * lower-case algorithm and upper-case hex: `sha-256 AB:CD:…` (32 bytes). Browsers use SHA-256.
 */
export const DTLS_FINGERPRINT_PATTERN = /^sha-256 (?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/;
export const dtlsFingerprintSchema = z
  .string()
  .max(7 + 32 * 3)
  .regex(DTLS_FINGERPRINT_PATTERN, 'a fingerprint is "sha-256 " and 32 upper-case hex bytes joined by ":"');
export type DtlsFingerprint = z.infer<typeof dtlsFingerprintSchema>;

/** A session description's text: bounded, starts like SDP, no NUL. */
export const sdpSchema = z
  .string()
  .max(CALL_LIMITS.maxSdpChars, { message: `an SDP is at most ${CALL_LIMITS.maxSdpChars} characters`, abort: true })
  .refine((sdp) => sdp.startsWith('v=0\r\n') && !sdp.includes('\0'), 'an SDP starts with "v=0" and has CRLF lines');

/** One trickled ICE candidate, the fields of RTCIceCandidateInit. */
export const iceCandidateSchema = z.object({
  candidate: z
    .string()
    .max(CALL_LIMITS.maxCandidateChars)
    .regex(/^(?:candidate:[^\r\n\0]*)?$/, 'a candidate is "candidate:…" on one line (or empty: end of candidates)'),
  sdpMid: z.string().max(CALL_LIMITS.maxMidChars).nullable(),
  sdpMLineIndex: z.number().int().min(0).max(CALL_LIMITS.maxMLineIndex).nullable(),
  usernameFragment: z.string().max(CALL_LIMITS.maxUfragChars).nullable(),
});
export type IceCandidate = z.infer<typeof iceCandidateSchema>;

const callId = { callId: callIdSchema };

/** Caller → callee: "I am calling you". Carries the offer and the caller's DTLS fingerprint. */
export const callInviteSchema = z.object({
  type: z.literal('call.invite'),
  ...callId,
  fingerprint: dtlsFingerprintSchema,
  sdp: sdpSchema,
});

/** Callee → caller: the invite arrived and the callee's window is ringing. */
export const callRingingSchema = z.object({ type: z.literal('call.ringing'), ...callId });

/** Callee → caller: the user answered. Carries the answer and the callee's DTLS fingerprint. */
export const callAcceptSchema = z.object({
  type: z.literal('call.accept'),
  ...callId,
  fingerprint: dtlsFingerprintSchema,
  sdp: sdpSchema,
});

export const CALL_DECLINE_REASONS = ['declined', 'busy'] as const;
/** Callee → caller: the user declined, or the callee is already in a call (`busy`). */
export const callDeclineSchema = z.object({
  type: z.literal('call.decline'),
  ...callId,
  reason: z.enum(CALL_DECLINE_REASONS),
});

/** Either side: ICE candidates gathered since the last batch (never sent before the description they belong to). */
export const callCandidatesSchema = z.object({
  type: z.literal('call.candidates'),
  ...callId,
  candidates: z.array(iceCandidateSchema).min(1).max(CALL_LIMITS.maxCandidatesPerFrame),
});

export const CALL_HANGUP_REASONS = ['hangup', 'peer-lost', 'security', 'error'] as const;
/** Either side, once the call was accepted: the call is over, and why. */
export const callHangupSchema = z.object({
  type: z.literal('call.hangup'),
  ...callId,
  reason: z.enum(CALL_HANGUP_REASONS),
});

/**
 * ICE restart (VOICE-04): the side that saw its connection drop sends an `offer` with new ICE
 * credentials; the other side applies it and answers with an `answer`. Both SDPs must carry the
 * same DTLS fingerprint as the call's first description.
 */
export const callRestartSchema = z.object({
  type: z.literal('call.restart'),
  ...callId,
  kind: z.enum(['offer', 'answer']),
  sdp: sdpSchema,
});

export const CALL_CANCEL_REASONS = ['cancelled', 'timeout'] as const;
/** Caller → callee, before an answer: the caller hung up (`cancelled`) or nobody answered in 30 s (`timeout`). */
export const callCancelSchema = z.object({
  type: z.literal('call.cancel'),
  ...callId,
  reason: z.enum(CALL_CANCEL_REASONS),
});

export const callFrameSchema = z.discriminatedUnion('type', [
  callInviteSchema,
  callRingingSchema,
  callAcceptSchema,
  callDeclineSchema,
  callCandidatesSchema,
  callHangupSchema,
  callRestartSchema,
  callCancelSchema,
]);

export type CallFrame = z.infer<typeof callFrameSchema>;
export type CallFrameType = CallFrame['type'];
export type CallFrameOf<T extends CallFrameType> = Extract<CallFrame, { type: T }>;
export type CallDeclineReason = (typeof CALL_DECLINE_REASONS)[number];
export type CallHangupReason = (typeof CALL_HANGUP_REASONS)[number];
export type CallCancelReason = (typeof CALL_CANCEL_REASONS)[number];

export const CALL_FRAME_TYPES = [
  'call.invite',
  'call.ringing',
  'call.accept',
  'call.decline',
  'call.candidates',
  'call.hangup',
  'call.restart',
  'call.cancel',
] as const satisfies readonly CallFrameType[];

import { z } from 'zod';
import {
  messageAckSchema,
  messageDeleteSchema,
  messageEditSchema,
  messageReactSchema,
  messageResumeSchema,
  messageSendSchema,
  receiptReadSchema,
  typingStateSchema,
} from '../messages/message-frames';
import { MESSAGE_FRAME_TYPES, type MessageFrame } from '../messages/message-frames';
import { fileCancelSchema, fileCompleteSchema, fileDeclineSchema, fileErrorSchema, fileOfferSchema } from '../files/file-frames';
import { millisSchema, signatureSchema } from '../wire/primitives';
import { CALL_FRAME_TYPES, callFrameSchema, type CallFrame } from '../calls/call-frames';
import { linkCloseReasonSchema } from './close-reasons';
import { PEER_LIMITS } from './limits';
import { linkIdSchema } from './primitives';

/**
 * Frames on an open link's data channel (P2P-01, P2P-02, P2P-05): JSON text, one schema each,
 * keyed by `type` (`domain.verb`). The peer protocol version travels in `link.hello`; a frame
 * type this side does not know is reported as `UNKNOWN_TYPE` so a newer peer is not punished.
 */
export const PEER_PROTOCOL_VERSION = 1;

/**
 * The identity handshake, sent by both sides as soon as the channel opens: a signature
 * (purpose `linkHandshake`) over both public keys, the link id and both DTLS fingerprints as
 * the signer's transport reports them (PROTOCOL.md 6.2). Nothing else is accepted before it.
 */
export const linkHelloSchema = z
  .object({
    type: z.literal('link.hello'),
    version: z.number().int().min(1).max(0xffff),
    linkId: linkIdSchema,
    signature: signatureSchema,
  })
  .strict();

const pingNonce = z
  .string()
  .min(1)
  .max(PEER_LIMITS.maxPingNonceChars)
  .regex(/^[A-Za-z0-9_-]+$/, 'a ping nonce is base64url characters');

/** Heartbeat (the RTT the UI shows comes from it); answered at once by `link.pong`. */
export const linkPingSchema = z.object({ type: z.literal('link.ping'), nonce: pingNonce, sentAtMs: millisSchema }).strict();

/** The answer to a ping: its nonce and `sentAtMs`, echoed. */
export const linkPongSchema = z.object({ type: z.literal('link.pong'), nonce: pingNonce, sentAtMs: millisSchema }).strict();

// The shape of a display name; the owner's exact rule (NFC, trimmed, no controls) is checked
// again by the verifier in core, which refuses a card whose name it would have changed.
const displayNameText = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => [...s].length <= 64, 'a display name is at most 64 characters');

/**
 * The sender's display name, signed by its owner (purpose `profileCard`) with the time it was
 * set, so a stored card can be checked again and an older one never replaces a newer one.
 */
export const profileCardSchema = z
  .object({
    type: z.literal('profile.card'),
    displayName: displayNameText,
    updatedAtMs: millisSchema,
    signature: signatureSchema,
  })
  .strict();

/** The sender closes the link; the receiver closes too, without answering. */
export const linkCloseSchema = z.object({ type: z.literal('link.close'), reason: linkCloseReasonSchema }).strict();

/** Why the sender refused a frame it received (the link stays up unless it also closes). */
export const LINK_ERROR_CODES = ['BAD_FRAME', 'TOO_LARGE', 'UNKNOWN_TYPE', 'RATE_LIMITED', 'NOT_READY'] as const;
export const linkErrorCodeSchema = z.enum(LINK_ERROR_CODES);
export type LinkErrorCode = z.infer<typeof linkErrorCodeSchema>;

export const linkErrorSchema = z.object({ type: z.literal('link.error'), code: linkErrorCodeSchema }).strict();

export const peerFrameSchema = z.discriminatedUnion('type', [
  linkHelloSchema,
  linkPingSchema,
  linkPongSchema,
  profileCardSchema,
  linkCloseSchema,
  linkErrorSchema,
  // Direct messages (MSG-01..05, PROTOCOL.md §7): application frames the link forwards as they are.
  messageSendSchema,
  messageEditSchema,
  messageDeleteSchema,
  messageReactSchema,
  messageAckSchema,
  messageResumeSchema,
  receiptReadSchema,
  typingStateSchema,
  // Files (FILE-01..03, PROTOCOL.md §8): the control frames carried on the link; the service parses them again.
  fileOfferSchema,
  fileDeclineSchema,
  fileCancelSchema,
  fileCompleteSchema,
  fileErrorSchema,
  // Voice calls (VOICE-01..04, PROTOCOL.md §9): application frames the link forwards as they are.
  ...callFrameSchema.options,
]);
export type PeerFrame = z.infer<typeof peerFrameSchema>;
export type PeerFrameType = PeerFrame['type'];
export type PeerFrameOf<T extends PeerFrameType> = Extract<PeerFrame, { type: T }>;

/** The file control frames a link carries (FILE-01); `file.accept` and `file.progress` travel only on a transfer's channel. */
export const LINK_FILE_FRAME_TYPES = ['file.offer', 'file.decline', 'file.cancel', 'file.complete', 'file.error'] as const;

export const PEER_FRAME_TYPES = [
  'link.hello',
  'link.ping',
  'link.pong',
  'profile.card',
  'link.close',
  'link.error',
  ...MESSAGE_FRAME_TYPES,
  ...LINK_FILE_FRAME_TYPES,
  ...CALL_FRAME_TYPES,
] as const satisfies readonly PeerFrameType[];

/** The message frames among the peer frames: the link hands them to the message service (MSG-02). */
export type MessagePeerFrame = Extract<PeerFrame, MessageFrame>;

export function isMessagePeerFrame(frame: PeerFrame): frame is MessagePeerFrame {
  return (MESSAGE_FRAME_TYPES as readonly string[]).includes(frame.type);
}

/** The file control frames among the peer frames: the link hands them to the file service (FILE-01). */
export type FilePeerFrame = Extract<PeerFrame, { type: (typeof LINK_FILE_FRAME_TYPES)[number] }>;

export function isFilePeerFrame(frame: PeerFrame): frame is FilePeerFrame {
  return (LINK_FILE_FRAME_TYPES as readonly string[]).includes(frame.type);
}

/** The call frames among the peer frames: the link hands them to the call wiring (VOICE-02). */
export type CallPeerFrame = Extract<PeerFrame, CallFrame>;

export function isCallPeerFrame(frame: PeerFrame): frame is CallPeerFrame {
  return (CALL_FRAME_TYPES as readonly string[]).includes(frame.type);
}

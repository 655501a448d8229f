import { z } from 'zod';
import { LIMITS } from './limits';
import {
  millisSchema,
  nonceSchema,
  peerStatusSchema,
  publicKeySchema,
  requestIdSchema,
  visibleStatusSchema,
} from './primitives';

/**
 * Messages a server sends to a client. Clients are lenient (CONVENTIONS 4): a message whose
 * `type` they do not know is logged at debug and ignored, so older clients survive newer
 * servers. Unknown fields are ignored.
 */

/** Sent once, right after the socket opens. */
export const authHelloSchema = z.object({
  type: z.literal('auth.hello'),
  protocolVersion: z.number().int().min(1).max(0xffff),
  /** The server's identity (its canonical URL); signed into the proof. */
  serverId: z.string().min(1).max(LIMITS.maxServerIdChars),
  /** Fresh random challenge for this socket only, single use. */
  nonce: nonceSchema,
  /** Time the client has, from the socket opening, to send a valid `auth.proof`. */
  authDeadlineMs: millisSchema,
});

/** An entry of an `RTCConfiguration.iceServers` list. */
export const iceServerSchema = z.object({
  urls: z.array(z.string().min(1).max(LIMITS.maxIceUrlChars)).min(1).max(LIMITS.maxIceUrlsPerServer),
  username: z.string().max(LIMITS.maxIceCredentialChars).optional(),
  credential: z.string().max(LIMITS.maxIceCredentialChars).optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

const iceServersField = z.array(iceServerSchema).max(LIMITS.maxIceServers);

/** The server's effective limits and rate budgets for this session. */
export const sessionLimitsSchema = z.object({
  maxFrameBytes: z.number().int().positive(),
  maxContacts: z.number().int().nonnegative(),
  maxSignalPayloadChars: z.number().int().positive(),
  maxContactRequestPayloadChars: z.number().int().positive(),
  /** Token bucket for `signal.send`: sustained rate and burst. */
  relayPerSecond: z.number().positive(),
  relayBurst: z.number().int().positive(),
  /** Token bucket for `presence.set` and `contacts.set`. */
  presencePerSecond: z.number().positive(),
  presenceBurst: z.number().int().positive(),
  /** Token bucket for `contact.request.send`. */
  contactRequestPerMinute: z.number().positive(),
});
export type SessionLimits = z.infer<typeof sessionLimitsSchema>;

/** The login was accepted. The session starts with an empty contact list. */
export const authWelcomeSchema = z.object({
  type: z.literal('auth.welcome'),
  sessionId: z.string().min(1).max(64),
  /** The authenticated key, as the server will stamp it on relayed messages. */
  publicKey: publicKeySchema,
  iceServers: iceServersField,
  /** When the TURN credentials in `iceServers` expire; null when there are none. */
  iceExpiresAtMs: millisSchema.nullable(),
  /** The server pings this often; a client may treat ~2x this with no traffic as a dead link. */
  heartbeatIntervalMs: millisSchema,
  limits: sessionLimitsSchema,
});

/**
 * The full presence of the client's mutual contacts who are visible now. Sent in answer to
 * every `contacts.set`. Contacts not in the list are offline (or invisible, or not mutual).
 */
export const presenceSnapshotSchema = z.object({
  type: z.literal('presence.snapshot'),
  contacts: z
    .array(z.object({ publicKey: publicKeySchema, status: visibleStatusSchema }))
    .max(LIMITS.maxContacts),
});

/** A mutual contact's visible status changed. Never `invisible`: invisible users are `offline`. */
export const presenceUpdateSchema = z.object({
  type: z.literal('presence.update'),
  publicKey: publicKeySchema,
  status: peerStatusSchema,
});

/** A relayed payload. `from` is stamped by the server from the sender's authenticated session. */
export const signalRelaySchema = z.object({
  type: z.literal('signal.relay'),
  from: publicKeySchema,
  payload: z.string().min(1).max(LIMITS.maxSignalPayloadChars),
});

export const SIGNAL_ERROR_CODES = ['NOT_MUTUAL', 'TARGET_OFFLINE', 'RATE_LIMITED', 'TOO_LARGE'] as const;
export type SignalErrorCode = (typeof SIGNAL_ERROR_CODES)[number];

/**
 * A `signal.send` was not delivered. `NOT_MUTUAL`: the sender does not list the target.
 * `TARGET_OFFLINE`: the target is offline, invisible-and-unknown, or does not list the sender;
 * these are deliberately indistinguishable, as they are in presence.
 */
export const signalErrorSchema = z.object({
  type: z.literal('signal.error'),
  id: requestIdSchema.nullable(),
  code: z.enum(SIGNAL_ERROR_CODES),
});

/** A stranger (or anyone) asks to be added. The payload is opaque, signed by the sender. */
export const contactRequestSchema = z.object({
  type: z.literal('contact.request'),
  from: publicKeySchema,
  payload: z.string().min(1).max(LIMITS.maxContactRequestPayloadChars),
});

export const CONTACT_REQUEST_ERROR_CODES = ['RATE_LIMITED', 'TOO_LARGE'] as const;
export type ContactRequestErrorCode = (typeof CONTACT_REQUEST_ERROR_CODES)[number];

/**
 * A `contact.request.send` was refused before delivery. There is no success answer and no
 * "offline" error: a stranger learns nothing about whether the target is online.
 */
export const contactRequestErrorSchema = z.object({
  type: z.literal('contact.request.error'),
  id: requestIdSchema.nullable(),
  code: z.enum(CONTACT_REQUEST_ERROR_CODES),
});

/** Fresh ICE servers, in answer to `ice.request`. */
export const iceServersSchema = z.object({
  type: z.literal('ice.servers'),
  iceServers: iceServersField,
  iceExpiresAtMs: millisSchema.nullable(),
});

/** Answer to `heartbeat.ping`. */
export const heartbeatPongSchema = z.object({
  type: z.literal('heartbeat.pong'),
  t: millisSchema,
});

export const SESSION_ERROR_CODES = ['BAD_MESSAGE', 'RATE_LIMITED', 'NOT_ALLOWED'] as const;
export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number];

/**
 * A non-fatal problem with one message that is not a relay or contact request: a malformed
 * frame (dropped; repeated ones close the socket with 4400), a rate-limited `presence.set` or
 * `contacts.set` (dropped), or a message not allowed in this state.
 */
export const sessionErrorSchema = z.object({
  type: z.literal('session.error'),
  code: z.enum(SESSION_ERROR_CODES),
  /** The `type` of the offending message when it had a known one. */
  about: z.string().max(64).nullable(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  authHelloSchema,
  authWelcomeSchema,
  presenceSnapshotSchema,
  presenceUpdateSchema,
  signalRelaySchema,
  signalErrorSchema,
  contactRequestSchema,
  contactRequestErrorSchema,
  iceServersSchema,
  heartbeatPongSchema,
  sessionErrorSchema,
]);

export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

export const SERVER_MESSAGE_TYPES: readonly ServerMessageType[] = serverMessageSchema.options.map(
  (option) => option.shape.type.value,
);

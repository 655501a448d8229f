import { z } from 'zod';
import { LIMITS } from './limits';
import { millisSchema, ownStatusSchema, publicKeySchema, requestIdSchema, signatureSchema } from './primitives';

/**
 * Messages a client sends to a server. JSON text frames, discriminated by `type`
 * (`domain.verb`). Unknown fields are ignored; every string and array is bounded.
 */

/** Answer to `auth.hello`: the signature is over `authProofSigningInput(…)` (PROTOCOL.md §3.1). */
export const authProofSchema = z.object({
  type: z.literal('auth.proof'),
  protocolVersion: z.number().int().min(1).max(0xffff),
  publicKey: publicKeySchema,
  timestampMs: millisSchema,
  signature: signatureSchema,
  /** Status to start the session with; `online` when absent. */
  status: ownStatusSchema.optional(),
});

/** Replace the whole contact list held for this session (memory only on the server). */
export const contactsSetSchema = z.object({
  type: z.literal('contacts.set'),
  contacts: z.array(publicKeySchema).max(LIMITS.maxContacts),
});

/** Change the session's status. */
export const presenceSetSchema = z.object({
  type: z.literal('presence.set'),
  status: ownStatusSchema,
});

/** Relay an opaque (signed, encrypted) payload to a mutual contact who is online. */
export const signalSendSchema = z.object({
  type: z.literal('signal.send'),
  id: requestIdSchema,
  to: publicKeySchema,
  payload: z.string().min(1).max(LIMITS.maxSignalPayloadChars),
});

/** Ask a user who is not (yet) a mutual contact to add us. Delivered only if they are online. */
export const contactRequestSendSchema = z.object({
  type: z.literal('contact.request.send'),
  id: requestIdSchema,
  to: publicKeySchema,
  payload: z.string().min(1).max(LIMITS.maxContactRequestPayloadChars),
});

/** Ask for fresh ICE servers (TURN credentials expire). Answered with `ice.servers`. */
export const iceRequestSchema = z.object({
  type: z.literal('ice.request'),
});

/**
 * Application-level heartbeat, for clients that cannot see WebSocket pings (browsers).
 * Answered with `heartbeat.pong` carrying the same `t`.
 */
export const heartbeatPingSchema = z.object({
  type: z.literal('heartbeat.ping'),
  t: millisSchema,
});

export const clientMessageSchema = z.discriminatedUnion('type', [
  authProofSchema,
  contactsSetSchema,
  presenceSetSchema,
  signalSendSchema,
  contactRequestSendSchema,
  iceRequestSchema,
  heartbeatPingSchema,
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

export const CLIENT_MESSAGE_TYPES: readonly ClientMessageType[] = clientMessageSchema.options.map(
  (option) => option.shape.type.value,
);

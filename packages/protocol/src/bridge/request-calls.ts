import { z } from 'zod';
import { REQUEST_LIMITS } from '../requests/request-bodies';
import { contactSchema } from './models';
import { BRIDGE_LIMITS, epochMsSchema, publicKeyHexSchema, userIdSchema } from './primitives';

/** CONT-06: someone who added the user and asks to be added back. */
export const incomingRequestSchema = z.object({
  publicKey: publicKeyHexSchema,
  userId: userIdSchema,
  /** The sender's display name, signed by them (checked by the core). */
  displayName: z.string().min(1).max(BRIDGE_LIMITS.displayNameChars * 2),
  /** What they wrote ('' for nothing). */
  note: z.string().max(REQUEST_LIMITS.noteChars * 2),
  receivedAt: epochMsSchema,
});
export type IncomingRequest = z.infer<typeof incomingRequestSchema>;

/** CONT-06: a key whose requests, links and messages are refused. */
export const blockedUserSchema = z.object({
  publicKey: publicKeyHexSchema,
  userId: userIdSchema,
  /** The name shown when blocked (nickname, display name or the short ID). */
  label: z.string().min(1).max(BRIDGE_LIMITS.displayNameChars * 2),
  blockedAt: epochMsSchema,
});
export type BlockedUser = z.infer<typeof blockedUserSchema>;

export const requestsOverviewSchema = z.object({
  incoming: z.array(incomingRequestSchema).max(BRIDGE_LIMITS.contacts),
  blocked: z.array(blockedUserSchema).max(BRIDGE_LIMITS.contacts),
  /** Requests from new senders refused since unlock because the list was full of unanswered ones (absent: none). */
  refusedWhileFull: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type RequestsOverview = z.infer<typeof requestsOverviewSchema>;

const byKey = z.object({ publicKey: publicKeyHexSchema });

/** CONT-06 calls, spread into `bridgeCalls`. */
export const requestCalls = {
  /** Incoming requests not answered yet and the blocked users. */
  'requests.list': { params: z.object({}), result: requestsOverviewSchema },
  /** Add the sender back (their signed name comes along) and tell them: both are then mutual. */
  'requests.accept': { params: byKey, result: contactSchema },
  /** Hide the request; the sender is told nothing and stays "pending" on their side. */
  'requests.ignore': { params: byKey, result: z.null() },
  /** Refuse everything from this key (a requester or a contact, who is removed). */
  'requests.block': { params: byKey, result: z.null() },
  /** Settings → Blocked users. */
  'requests.unblock': { params: byKey, result: z.null() },
} as const;

/** CONT-06 events, spread into `bridgeEvents`: the whole overview after any change. */
export const requestEvents = {
  'requests.changed': requestsOverviewSchema,
} as const;

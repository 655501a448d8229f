import { base64urlToBytes, LIMITS, ownStatusSchema, PUBLIC_KEY_WIRE_CHARS, serverMessageSchema } from '@discordopus/protocol';
import { z } from 'zod';

/**
 * The backplane links server nodes (INFR-06). Each node holds a replica of the directory of
 * online users (key, node, session, status, contacts) and computes presence and relay decisions
 * locally; the backplane carries record changes, relayed messages and node liveness. It is
 * at-most-once (Redis pub/sub): a node that was cut off asks everyone for their state again.
 */

// Node-to-node messages come from our own nodes: checked for shape, with light key checks.
const key = z.string().length(PUBLIC_KEY_WIRE_CHARS);
const id = z.string().min(1).max(64);

export const presenceRecordSchema = z.object({
  publicKey: key,
  nodeId: id,
  sessionId: id,
  /** Login time on the owning node; the newest login of a key wins. */
  sinceMs: z.number().int().nonnegative(),
  status: ownStatusSchema,
  contacts: z.array(key).max(LIMITS.maxContacts),
});
export type PresenceRecord = z.infer<typeof presenceRecordSchema>;

const deliverable = z.union([
  serverMessageSchema.options[4], // signal.relay
  serverMessageSchema.options[6], // contact.request
]);

export const backplaneMessageSchema = z.discriminatedUnion('type', [
  /** A session logged in or changed its status or contacts. */
  z.object({ type: z.literal('record.upsert'), record: presenceRecordSchema }),
  /** A session ended (after its grace period). */
  z.object({ type: z.literal('record.remove'), publicKey: key, sessionId: id }),
  /** All records of the sending node: replaces whatever the receiver held for that node. */
  z.object({ type: z.literal('node.state'), records: z.array(presenceRecordSchema) }),
  /** Liveness; a node silent for 3 heartbeats is presumed dead and its users go offline. */
  z.object({ type: z.literal('node.alive') }),
  /** The node is shutting down: its users go offline after the grace period unless they return. */
  z.object({ type: z.literal('node.leave') }),
  /** Ask every node to send its `node.state` (a node starting, or back after a cut). */
  z.object({ type: z.literal('sync.request') }),
  /** Deliver a message to a session on the receiving node. */
  z.object({ type: z.literal('session.deliver'), publicKey: key, sessionId: id, message: deliverable }),
]);
export type BackplaneMessage = z.infer<typeof backplaneMessageSchema>;

export const backplaneEnvelopeSchema = z.object({ origin: id, message: backplaneMessageSchema });
export type BackplaneEnvelope = z.infer<typeof backplaneEnvelopeSchema>;

export interface BackplaneHandlers {
  /** A message from another node (never one of this node's own). */
  onMessage(envelope: BackplaneEnvelope): void;
  /** The link came back after a cut: messages may have been lost, resynchronise. */
  onResync(): void;
}

export interface Backplane {
  readonly nodeId: string;
  start(handlers: BackplaneHandlers): Promise<void>;
  /** To every other node. Dropped (not queued) while the link is down. */
  broadcast(message: BackplaneMessage): void;
  /** To one node. */
  sendTo(nodeId: string, message: BackplaneMessage): void;
  close(): Promise<void>;
}

/** Decode a backplane frame; null (and the frame dropped) when it is not one. */
export function decodeEnvelope(text: string): BackplaneEnvelope | null {
  try {
    const value: unknown = JSON.parse(text);
    const quick = quickRelayDelivery(value);
    if (quick !== null) return quick;
    const result = backplaneEnvelopeSchema.safeParse(value);
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 64;
const isCanonicalKey = (v: unknown): v is string => {
  if (typeof v !== 'string' || v.length !== PUBLIC_KEY_WIRE_CHARS) return false;
  try {
    return base64urlToBytes(v).length === 32;
  } catch {
    return false;
  }
};

/**
 * The fast lane of the most frequent backplane message, a relayed `signal.relay` for a session
 * on this node: the exact checks of `backplaneEnvelopeSchema` without its general walk, returning
 * the same object (unknown fields dropped), or null for anything else, which then goes through
 * the schema. Property-tested against it.
 */
export function quickRelayDelivery(value: unknown): BackplaneEnvelope | null {
  if (typeof value !== 'object' || value === null) return null;
  const { origin, message } = value as Record<string, unknown>;
  if (!isId(origin) || typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.type !== 'session.deliver' || typeof m.publicKey !== 'string' || m.publicKey.length !== PUBLIC_KEY_WIRE_CHARS || !isId(m.sessionId)) return null;
  const inner = m.message;
  if (typeof inner !== 'object' || inner === null) return null;
  const r = inner as Record<string, unknown>;
  if (r.type !== 'signal.relay' || !isCanonicalKey(r.from)) return null;
  if (typeof r.payload !== 'string' || r.payload.length < 1 || r.payload.length > LIMITS.maxSignalPayloadChars) return null;
  return {
    origin,
    message: { type: 'session.deliver', publicKey: m.publicKey, sessionId: m.sessionId, message: { type: 'signal.relay', from: r.from, payload: r.payload } },
  };
}

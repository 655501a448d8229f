import { type ClientMessageOf, LIMITS, MAX_REQUEST_ID_CHARS, PUBLIC_KEY_WIRE_CHARS } from '@discordopus/protocol';

export type SignalSend = ClientMessageOf<'signal.send'>;

const REQUEST_ID = /^[A-Za-z0-9_.:-]+$/;

/**
 * The relay's fast lane: an exact check of a decoded `signal.send` whose payload is opaque, at a
 * fraction of the cost of the general schema walk (PROTOCOL.md §5.4). It accepts only what the
 * protocol's schema accepts, and returns the same object the schema would (unknown fields
 * dropped); anything it is not sure of — another type, a field out of bounds, a target key the
 * node has not already found canonical and usable (`knownKey`) — is null, and the caller parses
 * the frame with the protocol's one parser, which also reports every failing path. The
 * equivalence is checked by a property test against the schema.
 */
export function quickSignalSend(value: unknown, knownKey: (key: string) => boolean): SignalSend | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.type !== 'signal.send') return null;
  const { id, to, payload } = v;
  if (typeof id !== 'string' || id.length < 1 || id.length > MAX_REQUEST_ID_CHARS || !REQUEST_ID.test(id)) return null;
  if (typeof to !== 'string' || to.length !== PUBLIC_KEY_WIRE_CHARS || !knownKey(to)) return null;
  if (typeof payload !== 'string' || payload.length < 1 || payload.length > LIMITS.maxSignalPayloadChars) return null;
  return { type: 'signal.send', id, to, payload };
}

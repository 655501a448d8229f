import { z } from 'zod';
import { type BridgeEventName, type BridgeEventPayload } from './bridge-events';
import { type BridgeMethod, type BridgeParamsInput } from './bridge-calls';
import { BRIDGE_LIMITS } from './primitives';

/** Chosen by the caller to match a result to its call. */
export const frameIdSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const bridgeErrorPayloadSchema = z.object({
  code: z.string().min(1).max(BRIDGE_LIMITS.errorCodeChars),
  message: z.string().max(BRIDGE_LIMITS.errorMessageChars),
});
export type BridgeErrorPayload = z.infer<typeof bridgeErrorPayloadSchema>;

/** app → core. `params` is checked against the method's own schema after this. */
export const callFrameSchema = z.object({
  kind: z.literal('call'),
  id: frameIdSchema,
  method: z.string().min(1).max(BRIDGE_LIMITS.methodChars),
  params: z.unknown().optional(),
});

/** core → app. `id` is null only when the call was too broken to read its id. */
export const resultFrameSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('result'), id: frameIdSchema.nullable(), ok: z.literal(true), value: z.unknown() }),
  z.object({ kind: z.literal('result'), id: frameIdSchema.nullable(), ok: z.literal(false), error: bridgeErrorPayloadSchema }),
]);
export type ResultFrame = z.infer<typeof resultFrameSchema>;

/** core → app. `payload` is checked against the event's own schema after this. */
export const eventFrameSchema = z.object({
  kind: z.literal('event'),
  event: z.string().min(1).max(BRIDGE_LIMITS.methodChars),
  payload: z.unknown(),
});

/** Everything the app can receive. */
export const coreFrameSchema = z.union([resultFrameSchema, eventFrameSchema]);

export interface CallFrame<M extends BridgeMethod = BridgeMethod> {
  kind: 'call';
  id: number;
  method: M;
  params: BridgeParamsInput<M>;
}

export interface EventFrame<E extends BridgeEventName = BridgeEventName> {
  kind: 'event';
  event: E;
  payload: BridgeEventPayload<E>;
}

import type { BridgeErrorPayload } from './frames';
import { coreFrameSchema } from './frames';
import { type BridgeEventName, type BridgeEventPayload, bridgeEvents, isBridgeEventName } from './bridge-events';
import { type BridgeMethod, type BridgeResult, bridgeCalls } from './bridge-calls';
import { type BridgeIssue, type BridgeParseResult, parseBridgeJson, parseBridgeValue } from './parse';

export type CoreFrame =
  | { kind: 'result'; id: number | null; ok: true; value: unknown }
  | { kind: 'result'; id: number | null; ok: false; error: BridgeErrorPayload }
  | { [E in BridgeEventName]: { kind: 'event'; event: E; payload: BridgeEventPayload<E> } }[BridgeEventName]
  /** An event this app does not know (a newer core): ignore it (CONVENTIONS 4). */
  | { kind: 'unknown-event'; event: string }
  | { kind: 'invalid'; issues: BridgeIssue[] };

/** Decode one text frame from the core, as the app receives it. Never throws. */
export function readCoreFrame(text: string): CoreFrame {
  const json = parseBridgeJson(text);
  if (!json.ok) return { kind: 'invalid', issues: json.issues };
  const frame = parseBridgeValue(coreFrameSchema, json.value);
  if (!frame.ok) return { kind: 'invalid', issues: frame.issues };
  const value = frame.value;
  if (value.kind === 'result') return value;
  if (!isBridgeEventName(value.event)) return { kind: 'unknown-event', event: value.event };
  const payload = parseBridgeValue(bridgeEvents[value.event], value.payload);
  if (!payload.ok) return { kind: 'invalid', issues: payload.issues.map((i) => ({ ...i, path: `payload.${i.path}` })) };
  return { kind: 'event', event: value.event, payload: payload.value } as CoreFrame;
}

/** Check a call's result value against the contract. */
export function parseBridgeResult<M extends BridgeMethod>(method: M, value: unknown): BridgeParseResult<BridgeResult<M>> {
  return parseBridgeValue(bridgeCalls[method].result, value) as BridgeParseResult<BridgeResult<M>>;
}

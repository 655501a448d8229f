import { DiscordOpusError } from '../errors/discordopus-error';
import { BridgeError } from './bridge-error';
import { type BridgeHandlers, type BridgeMethod, bridgeCalls, isBridgeMethod } from './bridge-calls';
import { type BridgeEventName, type BridgeEventPayload, bridgeEvents } from './bridge-events';
import { type BridgeErrorPayload, type ResultFrame, callFrameSchema } from './frames';
import { describeBridgeIssues, parseBridgeValue } from './parse';
import { BRIDGE_LIMITS } from './primitives';

export interface DispatchOptions {
  /** Told about every error that is not a DiscordOpusError (answered as INTERNAL), for logs. */
  onUnexpectedError?: (error: unknown, method: BridgeMethod) => void;
}

/** The {code, message} a DiscordOpusError becomes on the wire; anything else is INTERNAL. */
export function toBridgeErrorPayload(error: unknown): BridgeErrorPayload {
  const known = DiscordOpusError.from(error);
  return {
    code: known.code.slice(0, BRIDGE_LIMITS.errorCodeChars),
    message: known.message.slice(0, BRIDGE_LIMITS.errorMessageChars),
  };
}

function idOf(input: unknown): number | null {
  if (typeof input !== 'object' || input === null) return null;
  const id = (input as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function failure(id: number | null, error: DiscordOpusError): ResultFrame {
  return { kind: 'result', id, ok: false, error: toBridgeErrorPayload(error) };
}

/**
 * Validate one decoded call frame, run its handler and build the result frame. Never throws:
 * a malformed frame, an unknown method or bad params never reach a handler; a handler's
 * DiscordOpusError keeps its code; anything else becomes INTERNAL. The result is checked
 * against the contract too, so a core bug cannot send the app something it cannot read.
 */
export async function dispatchBridgeCall(
  handlers: BridgeHandlers,
  input: unknown,
  options: DispatchOptions = {},
): Promise<ResultFrame> {
  const frame = parseBridgeValue(callFrameSchema, input);
  if (!frame.ok) return failure(idOf(input), BridgeError.badFrame(describeBridgeIssues(frame.issues)));
  const { id, method } = frame.value;
  if (!isBridgeMethod(method)) return failure(id, BridgeError.unknownMethod(method));

  const contract = bridgeCalls[method];
  const params = parseBridgeValue(contract.params, frame.value.params ?? {});
  if (!params.ok) return failure(id, BridgeError.badParams(method, describeBridgeIssues(params.issues)));

  let value: unknown;
  try {
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    value = await handler.call(handlers, params.value);
  } catch (error) {
    if (!(error instanceof DiscordOpusError)) options.onUnexpectedError?.(error, method);
    return failure(id, DiscordOpusError.from(error));
  }

  const result = parseBridgeValue(contract.result, value);
  if (!result.ok) {
    const problem = BridgeError.badResult(method, describeBridgeIssues(result.issues));
    options.onUnexpectedError?.(problem, method);
    return failure(id, new DiscordOpusError('INTERNAL', 'An internal error occurred.', { cause: problem }));
  }
  return { kind: 'result', id, ok: true, value: result.value };
}

/**
 * The text of an event frame. The payload is checked against the contract first: sending an
 * event the app cannot read is a bug of the sender, reported by throwing BRIDGE_BAD_PARAMS.
 */
export function encodeEventFrame<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): string {
  const parsed = parseBridgeValue(bridgeEvents[event], payload);
  if (!parsed.ok) throw BridgeError.badParams(event, describeBridgeIssues(parsed.issues));
  return JSON.stringify({ kind: 'event', event, payload: parsed.value });
}

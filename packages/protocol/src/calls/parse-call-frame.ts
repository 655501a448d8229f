import { CALL_FRAME_TYPES, callFrameSchema, type CallFrame } from './call-frames';
import { CALL_LIMITS } from './call-limits';

/** Why a call frame was refused: the counters a receiver keeps (PROTOCOL.md §9.3). */
export type CallFrameProblem = 'oversized' | 'malformed' | 'unknown-type';

export interface CallFrameIssue {
  /** Dotted path (`candidates.0.candidate`, '' for the root). */
  path: string;
  message: string;
}

export type CallFrameParse =
  | { ok: true; frame: CallFrame }
  | { ok: false; problem: CallFrameProblem; issues: CallFrameIssue[]; type: string | null };

const encoder = new TextEncoder();

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 64) : null;
}

/**
 * The one way to read a call frame from a peer. Takes the JSON text as received or an
 * already-decoded value; checks the size before decoding; reports every failing path. Never
 * throws. Issue messages never quote the SDP.
 */
export function parseCallFrame(input: unknown): CallFrameParse {
  let value = input;
  if (typeof input === 'string') {
    if (input.length * 3 > CALL_LIMITS.maxFrameBytes && encoder.encode(input).length > CALL_LIMITS.maxFrameBytes) {
      return { ok: false, problem: 'oversized', issues: [{ path: '', message: `a call frame is at most ${CALL_LIMITS.maxFrameBytes} bytes` }], type: null };
    }
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      return { ok: false, problem: 'malformed', issues: [{ path: '', message: 'the call frame is not JSON' }], type: null };
    }
  }
  const type = typeOf(value);
  if (type !== null && !(CALL_FRAME_TYPES as readonly string[]).includes(type)) {
    return { ok: false, problem: 'unknown-type', issues: [{ path: 'type', message: `unknown call frame type ${type}` }], type };
  }
  const result = callFrameSchema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const tooBig = result.error.issues.some((i) => i.code === 'too_big');
  return { ok: false, problem: tooBig ? 'oversized' : 'malformed', issues, type };
}

/** The JSON text of a call frame. */
export function encodeCallFrame(frame: CallFrame): string {
  return JSON.stringify(frame);
}

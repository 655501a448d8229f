import { MESSAGE_FRAME_TYPES, messageFrameSchema, type MessageFrame } from './message-frames';
import { MESSAGE_LIMITS } from './message-limits';

/** Why a frame was refused: the counters a receiver keeps (PROTOCOL.md §7.5). */
export type MessageFrameProblem = 'oversized' | 'malformed' | 'unknown-type';

export interface MessageFrameIssue {
  /** Dotted path (`text`, '' for the root). */
  path: string;
  message: string;
}

export type MessageFrameParse =
  | { ok: true; frame: MessageFrame }
  | { ok: false; problem: MessageFrameProblem; issues: MessageFrameIssue[]; type: string | null };

const encoder = new TextEncoder();

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 64) : null;
}

/**
 * The one way to read a message frame from a peer. Takes the JSON text as received or an
 * already-decoded value; checks the size before decoding; reports every failing path. Never
 * throws.
 */
export function parseMessageFrame(input: unknown): MessageFrameParse {
  let value = input;
  if (typeof input === 'string') {
    // A UTF-16 unit is at most 3 UTF-8 bytes: only measure exactly when it could matter.
    if (input.length * 3 > MESSAGE_LIMITS.maxFrameBytes && encoder.encode(input).length > MESSAGE_LIMITS.maxFrameBytes) {
      return { ok: false, problem: 'oversized', issues: [{ path: '', message: `a frame is at most ${MESSAGE_LIMITS.maxFrameBytes} bytes` }], type: null };
    }
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      return { ok: false, problem: 'malformed', issues: [{ path: '', message: 'the frame is not JSON' }], type: null };
    }
  }
  const type = typeOf(value);
  if (type !== null && !(MESSAGE_FRAME_TYPES as readonly string[]).includes(type)) {
    return { ok: false, problem: 'unknown-type', issues: [{ path: 'type', message: `unknown frame type ${type}` }], type };
  }
  const result = messageFrameSchema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const tooLong = result.error.issues.some((i) => i.code === 'too_big' || /at most/.test(i.message));
  return { ok: false, problem: tooLong ? 'oversized' : 'malformed', issues, type };
}

/** The JSON text of a frame. */
export function encodeMessageFrame(frame: MessageFrame): string {
  return JSON.stringify(frame);
}

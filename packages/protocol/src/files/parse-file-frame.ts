import { FILE_FRAME_TYPES, fileFrameSchema, type FileFrame } from './file-frames';
import { FILE_LIMITS } from './file-limits';

/** Why a frame was refused (PROTOCOL.md §8.5). */
export type FileFrameProblem = 'oversized' | 'malformed' | 'unknown-type';

export interface FileFrameIssue {
  /** Dotted path (`preview.data`, '' for the root). */
  path: string;
  message: string;
}

export type FileFrameParse =
  | { ok: true; frame: FileFrame }
  | { ok: false; problem: FileFrameProblem; issues: FileFrameIssue[]; type: string | null };

const encoder = new TextEncoder();

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 64) : null;
}

/**
 * The one way to read a file control frame from a peer: the JSON text as received or an
 * already-decoded value. Checks the size before decoding, reports every failing path, never
 * throws.
 */
export function parseFileFrame(input: unknown): FileFrameParse {
  let value = input;
  if (typeof input === 'string') {
    if (input.length * 3 > FILE_LIMITS.maxControlFrameBytes && encoder.encode(input).length > FILE_LIMITS.maxControlFrameBytes) {
      return { ok: false, problem: 'oversized', issues: [{ path: '', message: `a file frame is at most ${FILE_LIMITS.maxControlFrameBytes} bytes` }], type: null };
    }
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      return { ok: false, problem: 'malformed', issues: [{ path: '', message: 'the frame is not JSON' }], type: null };
    }
  }
  const type = typeOf(value);
  if (type !== null && !(FILE_FRAME_TYPES as readonly string[]).includes(type)) {
    return { ok: false, problem: 'unknown-type', issues: [{ path: 'type', message: `unknown frame type ${type}` }], type };
  }
  const result = fileFrameSchema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const tooLong = result.error.issues.some((i) => i.code === 'too_big' || /at most/.test(i.message));
  return { ok: false, problem: tooLong ? 'oversized' : 'malformed', issues, type };
}

/** The JSON text of a frame. */
export function encodeFileFrame(frame: FileFrame): string {
  return JSON.stringify(frame);
}

import type { z } from 'zod';
import { MAX_PEER_FRAME_BYTES, PEER_LIMITS } from './limits';
import { LINK_SIGNAL_TYPES, linkSignalBodySchema, type LinkSignalBody } from './link-signal-bodies';
import { PEER_FRAME_TYPES, peerFrameSchema, type PeerFrame } from './peer-frames';

/** One reason a value is not valid; `path` is dotted (`candidates.3.mid`), '' for the root. */
export interface PeerIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * Why a frame or body was refused:
 * - `TOO_LARGE`: over the byte limit (not decoded at all);
 * - `BAD_ENCODING`: bytes that are not UTF-8, or a value that is neither text nor bytes;
 * - `INVALID_JSON`: text that is not JSON;
 * - `UNKNOWN_TYPE`: a `type` this side does not know (a newer peer: ignore, do not punish);
 * - `BAD_FRAME`: a known type (or none) that does not match its schema.
 */
export const PEER_PARSE_ERROR_CODES = ['TOO_LARGE', 'BAD_ENCODING', 'INVALID_JSON', 'UNKNOWN_TYPE', 'BAD_FRAME'] as const;
export type PeerParseErrorCode = (typeof PEER_PARSE_ERROR_CODES)[number];

export type PeerParseResult<T> =
  | { ok: true; frame: T }
  | {
      ok: false;
      code: PeerParseErrorCode;
      /** Every failing path, not only the first ([] for TOO_LARGE / BAD_ENCODING / INVALID_JSON). */
      issues: PeerIssue[];
      /** The frame's `type` when it had a string one (cut to 64 characters), else null. */
      type: string | null;
    };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function utf8Length(text: string, limit: number): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes: only count when the text could be over the limit.
  if (text.length * 3 <= limit) return text.length;
  return encoder.encode(text).length;
}

function refused<T>(code: PeerParseErrorCode, type: string | null, issues: PeerIssue[] = []): PeerParseResult<T> {
  return { ok: false, code, issues, type };
}

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 64) : null;
}

function toIssues(error: z.ZodError): PeerIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), code: issue.code, message: issue.message }));
}

function validate<T>(schema: z.ZodType<T>, known: readonly string[], value: unknown): PeerParseResult<T> {
  const type = typeOf(value);
  if (type !== null && !known.includes(type)) return refused('UNKNOWN_TYPE', type);
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, frame: result.data };
  return refused('BAD_FRAME', type, toIssues(result.error));
}

function decode<T>(input: unknown, maxBytes: number): { ok: true; value: unknown } | { ok: false; result: PeerParseResult<T> } {
  let text: string;
  if (typeof input === 'string') {
    if (utf8Length(input, maxBytes) > maxBytes) return { ok: false, result: refused('TOO_LARGE', null) };
    text = input;
  } else if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    if (bytes.length > maxBytes) return { ok: false, result: refused('TOO_LARGE', null) };
    try {
      text = decoder.decode(bytes);
    } catch {
      return { ok: false, result: refused('BAD_ENCODING', null) };
    }
  } else {
    return { ok: false, result: refused('BAD_ENCODING', null) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, result: refused('INVALID_JSON', null) };
  }
}

/**
 * Decode and validate one data-channel message from a peer: text or bytes (UTF-8 JSON), at most
 * `MAX_PEER_FRAME_BYTES`. An object that is not text or bytes is refused as `BAD_ENCODING`; to
 * validate an already-decoded value use `validatePeerFrame`. Never throws.
 */
export function parsePeerFrame(input: unknown): PeerParseResult<PeerFrame> {
  const decoded = decode<PeerFrame>(input, MAX_PEER_FRAME_BYTES);
  if (!decoded.ok) return decoded.result;
  return validatePeerFrame(decoded.value);
}

/** Validate an already-decoded value as a peer frame. Never throws. */
export function validatePeerFrame(value: unknown): PeerParseResult<PeerFrame> {
  return validate(peerFrameSchema, PEER_FRAME_TYPES, value);
}

/** Decode and validate the JSON body of an opened set-up message (section 6.1). Never throws. */
export function parseLinkSignalBody(input: unknown): PeerParseResult<LinkSignalBody> {
  const decoded = decode<LinkSignalBody>(input, PEER_LIMITS.maxLinkSignalBodyBytes);
  if (!decoded.ok) return decoded.result;
  return validate(linkSignalBodySchema, LINK_SIGNAL_TYPES, decoded.value);
}

/** The text of a frame for `sendMessage`. Throws (a bug on this side) if it is over the limit. */
export function encodePeerFrame(frame: PeerFrame): string {
  const text = JSON.stringify(frame);
  if (utf8Length(text, MAX_PEER_FRAME_BYTES) > MAX_PEER_FRAME_BYTES) {
    throw new RangeError(`a ${frame.type} frame is over ${MAX_PEER_FRAME_BYTES} bytes`);
  }
  return text;
}

/** The JSON text of a set-up body, the exact text that is signed and sealed. */
export function encodeLinkSignalBody(body: LinkSignalBody): string {
  const text = JSON.stringify(body);
  if (utf8Length(text, PEER_LIMITS.maxLinkSignalBodyBytes) > PEER_LIMITS.maxLinkSignalBodyBytes) {
    throw new RangeError(`a ${body.type} body is over ${PEER_LIMITS.maxLinkSignalBodyBytes} bytes`);
  }
  return text;
}

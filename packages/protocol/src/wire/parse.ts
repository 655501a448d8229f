import type { z } from 'zod';
import { CLIENT_MESSAGE_TYPES, clientMessageSchema, type ClientMessage } from './client-messages';
import { SERVER_MESSAGE_TYPES, serverMessageSchema, type ServerMessage } from './server-messages';

/** One reason a value is not a valid message; `path` is dotted (`contacts.3`), '' for the root. */
export interface WireIssue {
  path: string;
  code: string;
  message: string;
}

export type WireParseResult<T> =
  | { ok: true; message: T }
  | {
      ok: false;
      /** Every failing path, not only the first. */
      issues: WireIssue[];
      /** The `type` when it was a string this side does not know (a newer peer), else null. */
      unknownType: string | null;
      /** The `type` when it was a known one, so a server can say which message it refused. */
      knownType: string | null;
    };

function toIssues(error: z.ZodError): WireIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

function typeOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}

function parseWith<T>(schema: z.ZodType<T>, known: readonly string[], value: unknown): WireParseResult<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const type = typeOf(value);
  const isKnown = type !== null && known.includes(type);
  return {
    ok: false,
    issues: toIssues(result.error),
    unknownType: type !== null && !isKnown ? type.slice(0, 64) : null,
    knownType: isKnown ? type : null,
  };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; issue: WireIssue } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, issue: { path: '', code: 'invalid_json', message: 'the frame is not JSON' } };
  }
}

/** Validate an already-decoded value as a client→server message. Never throws. */
export function parseClientMessage(value: unknown): WireParseResult<ClientMessage> {
  return parseWith(clientMessageSchema, CLIENT_MESSAGE_TYPES, value);
}

/** Validate an already-decoded value as a server→client message. Never throws. */
export function parseServerMessage(value: unknown): WireParseResult<ServerMessage> {
  return parseWith(serverMessageSchema, SERVER_MESSAGE_TYPES, value);
}

/** Decode and validate one text frame from a client. Never throws. */
export function parseClientFrame(text: string): WireParseResult<ClientMessage> {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, issues: [json.issue], unknownType: null, knownType: null };
  return parseClientMessage(json.value);
}

/** Decode and validate one text frame from a server. Never throws. */
export function parseServerFrame(text: string): WireParseResult<ServerMessage> {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, issues: [json.issue], unknownType: null, knownType: null };
  return parseServerMessage(json.value);
}

/** The text frame for a message (either direction). */
export function encodeMessage(message: ClientMessage | ServerMessage): string {
  return JSON.stringify(message);
}

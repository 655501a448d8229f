import type { z } from 'zod';

/** One reason a value is invalid; `path` is dotted (`params.contacts.3`), '' for the root. */
export interface BridgeIssue {
  path: string;
  message: string;
}

export type BridgeParseResult<T> = { ok: true; value: T } | { ok: false; issues: BridgeIssue[] };

/**
 * The one way bridge input is validated: takes `unknown`, never throws, and reports every
 * failing path rather than only the first (CONVENTIONS 3).
 */
export function parseBridgeValue<S extends z.ZodType>(schema: S, input: unknown): BridgeParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
}

/** JSON text to an unknown value, or an issue; never throws. */
export function parseBridgeJson(text: string): BridgeParseResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, issues: [{ path: '', message: 'the frame is not JSON' }] };
  }
}

/** Issues as one bounded line for an error message. */
export function describeBridgeIssues(issues: readonly BridgeIssue[], maxChars = 600): string {
  const text = issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

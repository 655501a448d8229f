import { CLOSE_CODES, PROTOCOL_VERSION } from '@discordopus/protocol';
import { SignalingError } from './signaling-error';

/**
 * What each fatal close code (protocol's FATAL_CLOSE_CODES) means to the user; a test checks
 * that every fatal code has an entry, so a new one is never retried blindly or mislabelled.
 */
export const FATAL_CLOSE_ERRORS: ReadonlyMap<number, () => SignalingError> = new Map([
  [CLOSE_CODES.AUTH_FAILED, () => SignalingError.authRejected()],
  [CLOSE_CODES.CONNECTED_ELSEWHERE, () => SignalingError.connectedElsewhere()],
  [CLOSE_CODES.UNSUPPORTED_VERSION, () => SignalingError.versionRefused(PROTOCOL_VERSION)],
]);

export function fatalCloseError(code: number): SignalingError | null {
  return FATAL_CLOSE_ERRORS.get(code)?.() ?? null;
}

/** A socket error's code (e.g. ECONNREFUSED), or null: never its free text. */
export function describeSocketError(event: unknown): string | null {
  const err = (event as { error?: unknown } | null)?.error;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code)) return code;
  return null;
}

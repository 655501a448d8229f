import type { CallEndReason } from './call-types';

/** Set-up refused before the microphone opens: relay-only is on and no TURN server is known (P2P-03). */
export class NoRelayError extends Error {
  constructor() {
    super('relay-only is on but no TURN server is configured');
    this.name = 'NoRelayError';
  }
}

/** Whether these ICE servers include a TURN relay (what relay-only needs). */
export function hasTurnServer(iceServers: readonly RTCIceServer[]): boolean {
  return iceServers.some((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]).some((url) => /^turns?:/i.test(url)));
}

/** getUserMedia's errors (W3C Media Capture names, and Chromium's older ones). */
const DENIED = new Set(['NotAllowedError', 'SecurityError', 'PermissionDeniedError']);
const MISSING = new Set(['NotFoundError', 'OverconstrainedError', 'NotReadableError', 'DevicesNotFoundError', 'TrackStartError', 'ConstraintNotSatisfiedError']);

/**
 * Why a call could not be set up, as the user is told (VOICE-01): the microphone refused or
 * missing, relay-only without a relay, or anything else ('error').
 */
export function setupFailureReason(error: unknown): CallEndReason {
  if (error instanceof NoRelayError) return 'no-relay';
  const name = typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
  if (DENIED.has(name)) return 'mic-denied';
  if (MISSING.has(name)) return 'mic-missing';
  return 'error';
}

/** A connection that is gone: the user's own network when the browser says it is offline, else the peer's side (VOICE-04). */
export function lostReason(online: boolean): 'peer-lost' | 'network-lost' {
  return online ? 'peer-lost' : 'network-lost';
}

/**
 * When a pending contact's request is sent again (CONT-06). The wait grows with the request's
 * age — 5 minutes, then 15, then an hour, then daily — and after `RESEND_FOR_MS` the request is
 * not sent again (the row stays, so the contact stays "Pending"). Derived from the stored
 * creation and last-send times, so it survives restarts without a counter.
 */
export const RESEND_STEPS_MS = [5 * 60_000, 15 * 60_000, 60 * 60_000] as const;
export const RESEND_DAILY_MS = 24 * 60 * 60_000;
/** No request is sent again once it is this old (the recipient forgets unanswered ones after as long). */
export const RESEND_FOR_MS = 30 * 24 * 60 * 60_000;

export interface ResendState {
  createdAt: number;
  lastSentAt: number | null;
}

/**
 * The time the request is due next, or null when it is not sent again. `firstStepMs` overrides
 * the first step (tests and options); the later steps keep their ratio to it.
 */
export function nextSendAt(request: ResendState, firstStepMs: number = RESEND_STEPS_MS[0]): number | null {
  if (request.lastSentAt === null) return request.createdAt;
  const scale = firstStepMs / RESEND_STEPS_MS[0];
  const age = request.lastSentAt - request.createdAt;
  let reached = 0;
  let wait = RESEND_DAILY_MS * scale;
  for (const step of RESEND_STEPS_MS) {
    if (age < (reached + step) * scale) {
      wait = step * scale;
      break;
    }
    reached += step;
  }
  const at = request.lastSentAt + wait;
  return at - request.createdAt > RESEND_FOR_MS * scale ? null : at;
}

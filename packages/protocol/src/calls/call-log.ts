import { z } from 'zod';
import { callIdSchema } from './call-frames';

/**
 * The call log (VOICE-04, PROTOCOL.md §9.6): one entry per call that ended, recorded by each
 * side in its own vault ("Missed call", "Call · 4 min 12 s"). Entries never travel between the
 * two sides and never pass the server; they cross only the local bridge (app ⇄ core).
 */
export const CALL_OUTCOMES = ['completed', 'missed', 'declined', 'no-answer', 'cancelled', 'busy', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * How much an outcome says about a call, for one call recorded by several windows of a profile
 * (each rings; one answers): a later record replaces the stored one only when it ranks higher, so
 * "Call · 4 min" is never lost to another window's "Missed call" (PROTOCOL.md §9.6).
 */
export const CALL_OUTCOME_RANK: Readonly<Record<CallOutcome, number>> = Object.freeze({
  completed: 6,
  declined: 5,
  busy: 4,
  'no-answer': 3,
  failed: 2,
  cancelled: 1,
  missed: 0,
});

export const CALL_LOG_LIMITS = {
  /** The longest call length a log entry holds: one week. */
  maxDurationMs: 7 * 24 * 3_600_000,
  /** Entries kept per contact: the oldest go first (a peer cannot fill the vault with invites). */
  maxEntriesPerContact: 1_000,
  /** Entries one `calls.log` answer carries (the newest, oldest first). */
  pageEntries: 500,
  /** How far past this side's clock a call may start (`calls.record` refuses later ones: CALL_LOG_FUTURE). */
  maxFutureMs: 24 * 3_600_000,
} as const;

/** The last instant a JavaScript Date can hold (8.64e15 ms): a later time would crash `new Date(…).toISOString()`. */
export const MAX_DATE_MS = 8.64e15;

/** A time in the call log: within JavaScript's Date range (review finding 7). */
const epochMs = z.number().int().nonnegative().max(MAX_DATE_MS);

const entryFields = {
  callId: callIdSchema,
  direction: z.enum(['outgoing', 'incoming']),
  outcome: z.enum(CALL_OUTCOMES),
  durationMs: z.number().int().min(0).max(CALL_LOG_LIMITS.maxDurationMs).nullable(),
  startedAt: epochMs,
  endedAt: epochMs,
};

type EntryShape = { direction: 'outgoing' | 'incoming'; outcome: CallOutcome; durationMs: number | null; startedAt: number; endedAt: number };

/** The entry rules, once, for what the window reports and what the core answers (the table's CHECKs hold the same). */
function checkEntry(e: EntryShape, ctx: z.RefinementCtx): void {
  if ((e.outcome === 'completed') !== (e.durationMs !== null)) ctx.addIssue({ code: 'custom', message: 'a call has a length exactly when it connected (outcome "completed")', path: ['durationMs'] });
  if (e.outcome === 'missed' && e.direction !== 'incoming') ctx.addIssue({ code: 'custom', message: 'only an incoming call can be missed', path: ['outcome'] });
  if (e.endedAt < e.startedAt) ctx.addIssue({ code: 'custom', message: 'a call cannot end before it started', path: ['endedAt'] });
}

/**
 * One finished call as the window reports it: `durationMs` exactly when it connected
 * (`completed`); `missed` only for an incoming call; the end not before the start.
 */
export const callLogEntrySchema = z.object(entryFields).superRefine(checkEntry);
export type CallLogEntry = z.infer<typeof callLogEntrySchema>;

/**
 * An entry as the vault holds it: `seen` is false for a missed call nobody has looked at yet.
 * The same rules as a reported entry, checked on the core's answers too (review finding 13).
 */
export const storedCallLogEntrySchema = z.object({ ...entryFields, seen: z.boolean() }).superRefine((e, ctx) => {
  checkEntry(e, ctx);
  if (!e.seen && e.outcome !== 'missed') ctx.addIssue({ code: 'custom', message: 'only a missed call can be unseen', path: ['seen'] });
});
export type StoredCallLogEntry = z.infer<typeof storedCallLogEntrySchema>;

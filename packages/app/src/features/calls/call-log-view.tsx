import type { StoredCallLogEntry } from '@discordopus/protocol/calls';
import { PhoneIncoming, PhoneMissed, PhoneOff, PhoneOutgoing } from 'lucide-react';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { errorMessage } from '../../lib/error-message';
import { timeOfDay } from '../conversation/message-items';
import { callLogText } from './call-format';
import { useCalls } from './call-layer';
import type { CallLog } from './call-log';

const NO_ENTRIES: readonly StoredCallLogEntry[] = [];

const documentAttended = () => document.visibilityState !== 'hidden' && document.hasFocus();

function useLogValue<T>(log: CallLog | null, publicKey: string, read: (log: CallLog) => T, fallback: T): T {
  const subscribe = useCallback(
    (listener: () => void) => (log === null ? () => {} : log.on('changed', ({ publicKey: changed }) => (changed === null || changed === publicKey) && listener())),
    [log, publicKey],
  );
  return useSyncExternalStore(subscribe, () => (log === null ? fallback : read(log)));
}

/** VOICE-04: unseen missed calls with the contact (0 without a call controller). */
/** An ISO time for `<time>`, or nothing for a time outside JavaScript's Date range (never a RangeError in render). */
function isoTime(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function useMissedCalls(publicKey: string): number {
  const log = useCalls()?.controller.log ?? null;
  return useLogValue(log, publicKey, (l) => l.missed(publicKey), 0);
}

/**
 * VOICE-04: the contact's calls from the vault's log, oldest first, for the conversation's
 * timeline. While the conversation is shown in a window that has the user's attention, its
 * missed calls count as seen (now, and again when the window comes back into focus).
 */
export function useCallLog(publicKey: string): readonly StoredCallLogEntry[] {
  const calls = useCalls();
  const log = calls?.controller.log ?? null;
  const entries = useLogValue(log, publicKey, (l) => l.entries(publicKey) ?? NO_ENTRIES, NO_ENTRIES);
  const missed = useMissedCalls(publicKey);
  const attended = calls?.attended ?? documentAttended;
  const unseen = missed > 0 || entries.some((e) => !e.seen);
  useEffect(() => {
    if (log === null || !unseen) return;
    const clear = () => {
      if (attended()) log.markSeen(publicKey).catch(() => {});
    };
    clear();
    window.addEventListener('focus', clear);
    document.addEventListener('visibilitychange', clear);
    return () => {
      window.removeEventListener('focus', clear);
      document.removeEventListener('visibilitychange', clear);
    };
  }, [log, publicKey, unseen, attended]);
  return entries;
}

/** VOICE-04: a red "missed calls" count beside a contact in the sidebar. */
export function MissedCallBadge({ publicKey }: { publicKey: string }) {
  const count = useMissedCalls(publicKey);
  if (count === 0) return null;
  const label = count === 1 ? '1 missed call' : `${count} missed calls`;
  return (
    <span data-testid="missed-call-badge" aria-label={label} title={label} className="ml-1 inline-flex shrink-0 items-center gap-0.5 rounded-full bg-danger px-1.5 text-xs font-bold leading-5 text-white">
      <PhoneMissed size={12} aria-hidden="true" />
      {count > 99 ? '99+' : count}
    </span>
  );
}

function EntryIcon({ entry }: { entry: StoredCallLogEntry }) {
  if (entry.outcome === 'missed') return <PhoneMissed size={16} className="text-danger" aria-hidden="true" />;
  if (entry.outcome !== 'completed') return <PhoneOff size={16} aria-hidden="true" />;
  return entry.direction === 'incoming' ? <PhoneIncoming size={16} className="text-online" aria-hidden="true" /> : <PhoneOutgoing size={16} className="text-online" aria-hidden="true" />;
}

/** A missed call's "Call back" (disabled while a call is on). */
function CallBack({ publicKey, peerName }: { publicKey: string; peerName: string }) {
  const calls = useCalls();
  const api = calls?.controller.forContact(publicKey) ?? null;
  const [failure, setFailure] = useState<string | null>(null);
  const state = useSyncExternalStore(
    useCallback((listener: () => void) => (api === null ? () => {} : api.on('stateChanged', listener)), [api]),
    () => api?.state ?? null,
  );
  if (api === null || state === null) return null;
  const busy = state.phase !== 'idle' && state.phase !== 'ended';
  return (
    <>
      <button
        type="button"
        data-testid="call-back"
        disabled={busy}
        aria-label={`Call ${peerName} back`}
        onClick={() => {
          setFailure(null);
          api.call().catch((error: unknown) => setFailure(errorMessage(error)));
        }}
        className="rounded px-2 py-0.5 text-xs font-semibold text-accent hover:bg-hover disabled:cursor-not-allowed disabled:opacity-50"
      >
        Call back
      </button>
      {failure !== null && (
        <span role="alert" className="text-xs text-danger">
          {failure}
        </span>
      )}
    </>
  );
}

/** VOICE-04: one call in the conversation's timeline: "Missed call", "Call · 4 min 12 s", at its time; a missed one can be called back. */
export function CallLogRow({ entry, peerName, publicKey }: { entry: StoredCallLogEntry; peerName: string; publicKey: string }) {
  const who = entry.direction === 'incoming' ? `from ${peerName}` : `to ${peerName}`;
  return (
    <div
      data-testid="call-log-row"
      data-call-id={entry.callId}
      data-outcome={entry.outcome}
      data-direction={entry.direction}
      aria-label={`${callLogText(entry)} ${who}`}
      className="mx-4 my-1 flex items-center gap-2 rounded px-2 py-1.5 text-sm text-muted"
    >
      <EntryIcon entry={entry} />
      <span data-testid="call-entry" data-outcome={entry.outcome} className={entry.outcome === 'missed' ? 'font-medium text-danger' : 'text-normal'}>
        {callLogText(entry)}
      </span>
      <time dateTime={isoTime(entry.startedAt)} className="text-xs text-muted">
        {timeOfDay(entry.startedAt)}
      </time>
      {entry.outcome === 'missed' && <CallBack publicKey={publicKey} peerName={peerName} />}
    </div>
  );
}

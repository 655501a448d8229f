import type { CallLogEntry } from '@discordopus/protocol/calls';
import type { CallEndReason, CallQuality } from './call-types';

/** `0:07`, `4:12`, `1:02:03`. */
export function formatCallDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * What the user is told when a call ends (VOICE-04: the UI says why). `peer` is the contact's
 * name where the sentence names them.
 */
export function endReasonText(reason: CallEndReason, peer = 'your contact'): string {
  switch (reason) {
    case 'hangup':
      return 'Call ended.';
    case 'remote-hangup':
      return 'The other side hung up.';
    case 'declined':
      return 'The call was declined.';
    case 'busy':
      return 'Busy: they are in another call.';
    case 'no-answer':
      return 'No answer.';
    case 'missed':
      return 'Missed call.';
    case 'cancelled':
      return 'The call was cancelled.';
    case 'peer-lost':
      return `The connection to ${peer} was lost: their app quit or crashed, or their network dropped.`;
    case 'network-lost':
      return 'Your network connection was lost, so the call ended.';
    case 'security':
      return 'Call refused: the connection was not the one your contact set up (security check failed: fingerprint mismatch).';
    case 'mic-denied':
      return 'Microphone access was denied: allow the microphone for DiscordOpus and call again.';
    case 'mic-missing':
      return 'No microphone could be opened (none found, unplugged, or in use by another app): choose one in Settings → Voice.';
    case 'no-relay':
      return 'Relay-only is on, but no TURN relay is available: the call was not started. Add a TURN server or turn relay-only off in Settings → Network.';
    case 'unreachable':
      return `${peer.charAt(0).toUpperCase()}${peer.slice(1)} could not be reached: there is no direct link (they may be offline).`;
    case 'link-lost':
      return `The direct link to ${peer} broke, so the call ended.`;
    case 'answered-elsewhere':
      return 'Answered in another window.';
    case 'remote-error':
      return `The call failed on ${peer}'s side (their microphone or connection).`;
    case 'error':
      return 'The call could not be set up (connection error).';
    default: {
      const never: never = reason;
      return never;
    }
  }
}

export function formatBitrate(bps: number | null): string {
  if (bps === null) return '—';
  return bps >= 1000 ? `${(bps / 1000).toFixed(1)} kbit/s` : `${bps} bit/s`;
}

/** The quality panel's rows (VOICE-03). */
export function qualityRows(q: CallQuality | null): { label: string; value: string; testId: string }[] {
  return [
    { label: 'Connection', value: q?.route === 'relayed' ? 'Relayed' : q?.route === 'direct' ? 'Direct' : '—', testId: 'quality-route' },
    { label: 'Round trip', value: q?.rttMs == null ? '—' : `${q.rttMs} ms`, testId: 'quality-rtt' },
    { label: 'Jitter', value: q?.jitterMs == null ? '—' : `${q.jitterMs} ms`, testId: 'quality-jitter' },
    { label: 'Packet loss', value: q?.loss == null ? '—' : `${(q.loss * 100).toFixed(1)} %`, testId: 'quality-loss' },
    { label: 'Incoming', value: formatBitrate(q?.inboundBitrate ?? null), testId: 'quality-in' },
    { label: 'Outgoing', value: formatBitrate(q?.outboundBitrate ?? null), testId: 'quality-out' },
    { label: 'Codec', value: q?.codec?.split(' ').slice(0, 2).join(' ') ?? '—', testId: 'quality-codec' },
  ];
}

/** "4 min 12 s", "12 s", "1 h 2 min" (a finished call's length, VOICE-04). */
export function formatEntryDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The timeline's line for a call in the log (VOICE-04, PROTOCOL.md §9.6). */
export function callLogText(entry: Pick<CallLogEntry, 'direction' | 'outcome' | 'durationMs'>): string {
  switch (entry.outcome) {
    case 'completed':
      return `Call · ${formatEntryDuration(entry.durationMs ?? 0)}`;
    case 'missed':
      return 'Missed call';
    case 'declined':
      return 'Call declined';
    case 'no-answer':
      return 'No answer';
    case 'cancelled':
      return 'Outgoing call — cancelled';
    case 'busy':
      return 'Busy';
    case 'failed':
      return 'Call failed';
    default: {
      const never: never = entry.outcome;
      return never;
    }
  }
}

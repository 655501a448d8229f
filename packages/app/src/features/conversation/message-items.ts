import type { Message } from '@discordopus/protocol/bridge';
import type { StoredCallLogEntry } from '@discordopus/protocol/calls';

/** A message within this long of the one before it, by the same author, joins its group (Discord's rule of thumb). */
export const GROUP_GAP_MS = 7 * 60_000;

export type ListItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: Message; /** First of a run by one author: shows the name and time. */ groupStart: boolean }
  /** VOICE-04: a call from the call log, at the time it started. */
  | { kind: 'call'; key: string; entry: StoredCallLogEntry };

/** Which ends of the conversation the loaded messages reach (calls beyond them belong to unloaded pages). */
export interface LoadedRange {
  hasOlder: boolean;
  hasNewer: boolean;
}

function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** "Today", "Yesterday", else the date in the user's locale. */
export function dayLabel(ms: number, now: number): string {
  const key = dayKey(ms);
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return 'Yesterday';
  return new Date(ms).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

/**
 * When this side saw a message, on this side's clock (the clock a call's `startedAt` uses): an
 * incoming message's `sentAt` is the contact's clock, which may be off (review finding 6).
 */
function localTime(message: Message): number {
  return message.outgoing ? message.sentAt : message.receivedAt;
}

/**
 * The rows of a conversation (oldest first): a separator where the day changes, a "new
 * messages" line above the first unread one, each message marked as the start of a group or
 * a continuation, and (VOICE-04) the calls of the log between them at the time they started
 * (compared with when this side sent or received each message, both on this side's clock) —
 * only those within the loaded run of messages, so paging brings older calls with older
 * messages. Pure, so a list of 100,000 messages costs one pass.
 */
export function buildListItems(
  messages: readonly Message[],
  now: number,
  firstUnreadId: string | null = null,
  calls: readonly StoredCallLogEntry[] = [],
  range: LoadedRange = { hasOlder: false, hasNewer: false },
): ListItem[] {
  const items: ListItem[] = [];
  let previous: Message | null = null;
  let lastDay: string | null = null;
  const first = messages[0];
  const firstAt = first === undefined ? Number.NEGATIVE_INFINITY : localTime(first);
  let next = 0;
  const dayOf = (at: number, id: string) => {
    const key = dayKey(at);
    if (key === lastDay) return false;
    items.push({ kind: 'day', key: `day:${key}:${id}`, label: dayLabel(at, now) });
    lastDay = key;
    return true;
  };
  const callsBefore = (at: number) => {
    let added = false;
    for (; next < calls.length && (calls[next]?.startedAt ?? 0) < at; next += 1) {
      const entry = calls[next] as StoredCallLogEntry;
      if (range.hasOlder && entry.startedAt < firstAt) continue;
      dayOf(entry.startedAt, `call:${entry.callId}`);
      items.push({ kind: 'call', key: `call:${entry.callId}`, entry });
      added = true;
    }
    return added;
  };
  for (const message of messages) {
    const afterCall = callsBefore(localTime(message));
    const newDay = dayOf(message.sentAt, message.id);
    const groupStart =
      newDay ||
      afterCall ||
      previous === null ||
      previous.author !== message.author ||
      message.sentAt - previous.sentAt > GROUP_GAP_MS ||
      message.replyTo !== null;
    const unread = message.id === firstUnreadId;
    if (unread) items.push({ kind: 'unread', key: 'unread-marker' });
    items.push({ kind: 'message', key: message.id, message, groupStart: groupStart || unread });
    previous = message;
  }
  if (!range.hasNewer) callsBefore(Number.POSITIVE_INFINITY);
  return items;
}

/** The time of day a message was written, short ("14:05"). */
export function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

import type { Message } from '@discordopus/protocol/bridge';

/** A message within this long of the one before it, by the same author, joins its group (Discord's rule of thumb). */
export const GROUP_GAP_MS = 7 * 60_000;

export type ListItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: Message; /** First of a run by one author: shows the name and time. */ groupStart: boolean };

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
 * The rows of a conversation (oldest first): a separator where the day changes, a "new
 * messages" line above the first unread one, and each message marked as the start of a group or
 * a continuation. Pure, so a list of 100,000
 * messages costs one pass.
 */
export function buildListItems(messages: readonly Message[], now: number, firstUnreadId: string | null = null): ListItem[] {
  const items: ListItem[] = [];
  let previous: Message | null = null;
  for (const message of messages) {
    const newDay = previous === null || dayKey(previous.sentAt) !== dayKey(message.sentAt);
    if (newDay) items.push({ kind: 'day', key: `day:${dayKey(message.sentAt)}:${message.id}`, label: dayLabel(message.sentAt, now) });
    const groupStart =
      newDay ||
      previous === null ||
      previous.author !== message.author ||
      message.sentAt - previous.sentAt > GROUP_GAP_MS ||
      message.replyTo !== null;
    const unread = message.id === firstUnreadId;
    if (unread) items.push({ kind: 'unread', key: 'unread-marker' });
    items.push({ kind: 'message', key: message.id, message, groupStart: groupStart || unread });
    previous = message;
  }
  return items;
}

/** The time of day a message was written, short ("14:05"). */
export function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

import type { FileTransferView, Message } from '@discordopus/protocol/bridge';

/** A message within this long of the one before it, by the same author, joins its group (Discord's rule of thumb). */
export const GROUP_GAP_MS = 7 * 60_000;

export type ListItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: Message; /** First of a run by one author: shows the name and time. */ groupStart: boolean }
  | { kind: 'file'; key: string; transfer: FileTransferView; groupStart: boolean };

/** What grouping needs of a row: who wrote it, when, and whether it starts a run of its own. */
interface Entry {
  outgoing: boolean;
  sentAt: number;
  standalone: boolean;
}

const entryOfMessage = (m: Message): Entry => ({ outgoing: m.outgoing, sentAt: m.sentAt, standalone: m.replyTo !== null });
const entryOfTransfer = (t: FileTransferView): Entry => ({ outgoing: t.direction === 'out', sentAt: t.sentAt, standalone: false });

/**
 * FILE-01: the transfers that belong between the loaded messages (sorted by time): when older or
 * newer messages are still to load, transfers beyond the loaded run wait for them.
 */
export function transfersInRun(
  transfers: readonly FileTransferView[],
  messages: readonly Message[],
  run: { hasOlder: boolean; hasNewer: boolean },
): FileTransferView[] {
  const from = run.hasOlder && messages.length > 0 ? messages[0]!.sentAt : -Infinity;
  const to = run.hasNewer && messages.length > 0 ? messages.at(-1)!.sentAt : Infinity;
  return transfers.filter((t) => t.sentAt >= from && t.sentAt <= to).sort((a, b) => a.sentAt - b.sentAt || a.id.localeCompare(b.id));
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
 * The rows of a conversation (oldest first): a separator where the day changes, a "new
 * messages" line above the first unread one, and each message marked as the start of a group or
 * a continuation. Pure, so a list of 100,000
 * messages costs one pass.
 */
export function buildListItems(
  messages: readonly Message[],
  now: number,
  firstUnreadId: string | null = null,
  transfers: readonly FileTransferView[] = [],
): ListItem[] {
  const items: ListItem[] = [];
  let previous: Entry | null = null;
  const add = (entry: Entry, key: string, unread: boolean, item: (groupStart: boolean) => ListItem) => {
    const newDay = previous === null || dayKey(previous.sentAt) !== dayKey(entry.sentAt);
    if (newDay) items.push({ kind: 'day', key: `day:${dayKey(entry.sentAt)}:${key}`, label: dayLabel(entry.sentAt, now) });
    const groupStart =
      newDay || previous === null || previous.outgoing !== entry.outgoing || entry.sentAt - previous.sentAt > GROUP_GAP_MS || entry.standalone;
    if (unread) items.push({ kind: 'unread', key: 'unread-marker' });
    items.push(item(groupStart || unread));
    previous = entry;
  };
  // Both lists are oldest first: merge them by time (a message first when the times are equal).
  let t = 0;
  for (const message of messages) {
    while (t < transfers.length && transfers[t]!.sentAt < message.sentAt) {
      const transfer = transfers[t++]!;
      add(entryOfTransfer(transfer), `file:${transfer.id}`, false, (groupStart) => ({ kind: 'file', key: `file:${transfer.id}`, transfer, groupStart }));
    }
    add(entryOfMessage(message), message.id, message.id === firstUnreadId, (groupStart) => ({ kind: 'message', key: message.id, message, groupStart }));
  }
  for (; t < transfers.length; t++) {
    const transfer = transfers[t]!;
    add(entryOfTransfer(transfer), `file:${transfer.id}`, false, (groupStart) => ({ kind: 'file', key: `file:${transfer.id}`, transfer, groupStart }));
  }
  return items;
}

/** The time of day a message was written, short ("14:05"). */
export function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

import type { FileTransferView, Message } from '@discordopus/protocol/bridge';
import type { StoredCallLogEntry } from '@discordopus/protocol/calls';

/** A message within this long of the one before it, by the same author, joins its group (Discord's rule of thumb). */
export const GROUP_GAP_MS = 7 * 60_000;

export type ListItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: Message; /** First of a run by one author: shows the name and time. */ groupStart: boolean }
  /** FILE-01: a file transfer, at the time it was offered. */
  | { kind: 'file'; key: string; transfer: FileTransferView; groupStart: boolean }
  /** VOICE-04: a call from the call log, at the time it started. */
  | { kind: 'call'; key: string; entry: StoredCallLogEntry };

/** Which ends of the conversation the loaded messages reach (what lies beyond them belongs to unloaded pages). */
export interface LoadedRange {
  hasOlder: boolean;
  hasNewer: boolean;
}

/** What the timeline shows besides messages. */
export interface TimelineExtras {
  /** Oldest first, already limited to the loaded run (`transfersInRun`). */
  transfers?: readonly FileTransferView[];
  /** Oldest first; limited here to the loaded run by `range`. */
  calls?: readonly StoredCallLogEntry[];
  range?: LoadedRange;
}

/** What grouping needs of a row: who wrote it, when, and whether it starts a run of its own or ends one. */
interface Entry {
  outgoing: boolean;
  sentAt: number;
  standalone: boolean;
  /** A call row: the next message starts a new group. */
  breaks?: boolean;
}

const entryOfMessage = (m: Message): Entry => ({ outgoing: m.outgoing, sentAt: m.sentAt, standalone: m.replyTo !== null });
const entryOfTransfer = (t: FileTransferView): Entry => ({ outgoing: t.direction === 'out', sentAt: t.sentAt, standalone: false });

/** Whether `at` lies within the loaded run of messages (the ends still to load hold what is beyond them). */
function inRun(at: number, messages: readonly Message[], run: LoadedRange, timeOf: (m: Message) => number = (m) => m.sentAt): boolean {
  const from = run.hasOlder && messages.length > 0 ? timeOf(messages[0]!) : -Infinity;
  const to = run.hasNewer && messages.length > 0 ? timeOf(messages.at(-1)!) : Infinity;
  return at >= from && at <= to;
}

/**
 * FILE-01: the transfers that belong between the loaded messages (sorted by time): when older or
 * newer messages are still to load, transfers beyond the loaded run wait for them.
 */
export function transfersInRun(transfers: readonly FileTransferView[], messages: readonly Message[], run: LoadedRange): FileTransferView[] {
  return transfers.filter((t) => inRun(t.sentAt, messages, run)).sort((a, b) => a.sentAt - b.sentAt || a.id.localeCompare(b.id));
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

/** A row besides the messages, with the time it sorts by. */
interface Extra {
  at: number;
  entry: Entry;
  key: string;
  item(groupStart: boolean): ListItem;
  /** The message time it is compared with: a transfer's `sentAt` is the sender's clock, like a message's; a call's is this side's. */
  clock(message: Message): number;
}

/** The transfers and the calls in the run, each oldest first. */
function extrasOf(messages: readonly Message[], extras: TimelineExtras): [Extra[], Extra[]] {
  const range = extras.range ?? { hasOlder: false, hasNewer: false };
  const files: Extra[] = (extras.transfers ?? []).map((transfer) => ({
    at: transfer.sentAt,
    entry: entryOfTransfer(transfer),
    key: `file:${transfer.id}`,
    item: (groupStart) => ({ kind: 'file', key: `file:${transfer.id}`, transfer, groupStart }),
    clock: (m) => m.sentAt,
  }));
  const calls: Extra[] = (extras.calls ?? [])
    .filter((entry) => inRun(entry.startedAt, messages, range, localTime))
    .map((entry) => ({
      at: entry.startedAt,
      entry: { outgoing: entry.direction === 'outgoing', sentAt: entry.startedAt, standalone: true, breaks: true },
      key: `call:${entry.callId}`,
      item: () => ({ kind: 'call', key: `call:${entry.callId}`, entry }),
      clock: localTime,
    }));
  return [files, calls];
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
 * messages" line above the first unread one, each message or file marked as the start of a group
 * or a continuation, and (FILE-01, VOICE-04) the transfers and calls between the messages at
 * their time (against when this side sent or received each message, on this side's clock) —
 * only those within the loaded run, so paging brings older ones with older messages; on equal
 * times the message comes first. Pure, so 100,000 messages cost one pass.
 */
export function buildListItems(messages: readonly Message[], now: number, firstUnreadId: string | null = null, extras: TimelineExtras = {}): ListItem[] {
  const items: ListItem[] = [];
  let previous: Entry | null = null;
  const add = (entry: Entry, key: string, unread: boolean, item: (groupStart: boolean) => ListItem) => {
    const newDay = previous === null || dayKey(previous.sentAt) !== dayKey(entry.sentAt);
    if (newDay) items.push({ kind: 'day', key: `day:${dayKey(entry.sentAt)}:${key}`, label: dayLabel(entry.sentAt, now) });
    const groupStart =
      newDay ||
      previous === null ||
      previous.breaks === true ||
      previous.outgoing !== entry.outgoing ||
      entry.sentAt - previous.sentAt > GROUP_GAP_MS ||
      entry.standalone;
    if (unread) items.push({ kind: 'unread', key: 'unread-marker' });
    items.push(item(groupStart || unread));
    previous = entry;
  };
  const lists = extrasOf(messages, extras);
  const cursors = [0, 0];
  /** The earliest waiting row (of either list) that comes before `message` by its own clock (all, when null). */
  const nextBefore = (message: Message | null): Extra | null => {
    let best: Extra | null = null;
    let from = -1;
    lists.forEach((list, i) => {
      const extra = list[cursors[i]!];
      if (extra === undefined || (message !== null && extra.at >= extra.clock(message))) return;
      if (best === null || extra.at < best.at) [best, from] = [extra, i];
    });
    if (best !== null) cursors[from]! += 1;
    return best;
  };
  const addWaiting = (message: Message | null) => {
    for (let extra = nextBefore(message); extra !== null; extra = nextBefore(message)) add(extra.entry, extra.key, false, extra.item);
  };
  for (const message of messages) {
    addWaiting(message);
    add(entryOfMessage(message), message.id, message.id === firstUnreadId, (groupStart) => ({ kind: 'message', key: message.id, message, groupStart }));
  }
  addWaiting(null);
  return items;
}

/** The time of day a message was written, short ("14:05"). */
export function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

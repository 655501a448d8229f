import type { FileTransferView, Message } from '@discordopus/protocol/bridge';
import type { StoredCallLogEntry } from '@discordopus/protocol/calls';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type Key, useLayoutEffect, useMemo, useRef } from 'react';
import { CallLogRow } from '../calls/call-log-view';
import { FileItem } from '../files/file-item';
import { buildListItems, type ListItem } from './message-items';
import { MessageRow, type MessageRowProps } from './message-row';
import { useReadTracker } from './use-read-tracker';

type RowHandlers = Pick<MessageRowProps, 'onReply' | 'onStartEdit' | 'onCancelEdit' | 'onSaveEdit' | 'onDelete' | 'onReact'>;

export interface MessageListProps extends RowHandlers {
  publicKey: string;
  messages: readonly Message[];
  /** FILE-01: the contact's transfers within the loaded run, oldest first (they sit among the messages by time). */
  transfers: readonly FileTransferView[];
  /** Bumped when the loaded run is replaced: scroll anew. */
  generation: number;
  hasOlder: boolean;
  hasNewer: boolean;
  ownKey: string;
  nameOf(author: string): string;
  editingId: string | null;
  /** A message to bring into view and highlight (a search result). */
  focusId: string | null;
  /** MSG-04: the first message that was unread when the conversation opened: a line above it, and the view starts there. */
  firstUnreadId: string | null;
  now: number;
  /** VOICE-04: the contact's calls from the log, oldest first, shown between the messages. */
  calls?: readonly StoredCallLogEntry[];
  loadOlder(): Promise<unknown>;
  loadNewer(): Promise<unknown>;
  markRead(seq: number): void;
}

const NO_CALLS: readonly StoredCallLogEntry[] = [];

/** Rows closer than this to an end of the list load the next page. */
const EDGE_PX = 300;

function estimate(item: ListItem | undefined): number {
  if (item === undefined) return 28;
  if (item.kind === 'day' || item.kind === 'unread' || item.kind === 'call') return 36;
  if (item.kind === 'file') return item.transfer.preview !== null ? 360 : 140;
  return item.groupStart ? 64 : 28;
}

/**
 * MSG-01: the conversation as a windowed list (only the rows in view are in the DOM, so 100,000
 * messages stay smooth). Scrolling near the top loads older pages and keeps the row under the
 * user's eyes where it was; new messages keep the view at the bottom when it was there.
 */
export function MessageList(props: MessageListProps) {
  const { publicKey, messages, transfers, generation, hasOlder, hasNewer, focusId, now } = props;
  const { firstUnreadId } = props;
  const calls = props.calls ?? NO_CALLS;
  const items = useMemo(
    () => buildListItems(messages, now, firstUnreadId, { transfers, calls, range: { hasOlder, hasNewer } }),
    [messages, now, firstUnreadId, transfers, calls, hasOlder, hasNewer],
  );
  const byId = useMemo(() => new Map(messages.map((m) => [m.id, m])), [messages]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimate(items[index]),
    getItemKey: (index) => items[index]?.key ?? index,
    overscan: 6,
    // A row that measures 0 (a layout-less test DOM) keeps its estimate instead of collapsing.
    measureElement: (element, _entry, instance) => {
      const height = element.getBoundingClientRect().height;
      if (height > 0) return height;
      return estimate(items[instance.indexFromElement(element)]);
    },
  });
  const observeRead = useReadTracker(props.markRead, publicKey);

  // Where the view was: the bottom, or the first row in view and its distance from the top.
  const anchor = useRef<{ atBottom: boolean; key: Key | null; delta: number; first: string | null; generation: number }>({
    atBottom: true,
    key: null,
    delta: 0,
    first: null,
    generation: -1,
  });

  useLayoutEffect(() => {
    const a = anchor.current;
    const element = scroller.current;
    const last = items.length - 1;
    if (last < 0) return;
    const firstKey = items[0]?.key ?? null;
    if (a.generation !== generation) {
      // A new run: the first unread message, the bottom, or the message being jumped to.
      a.generation = generation;
      a.first = firstKey;
      const unreadAt = items.findIndex((item) => item.kind === 'unread');
      if (unreadAt >= 0) {
        a.atBottom = false;
        virtualizer.scrollToIndex(unreadAt, { align: 'start' });
      } else if (focusId === null) virtualizer.scrollToIndex(last, { align: 'end' });
      return;
    }
    if (a.first !== firstKey && a.key !== null) {
      // Older rows were put above: keep the anchored row where it was on screen.
      a.first = firstKey;
      const index = items.findIndex((item) => item.key === a.key);
      const start = index >= 0 ? virtualizer.measurementsCache[index]?.start : undefined;
      if (start !== undefined && element !== null) virtualizer.scrollToOffset(start - a.delta);
      return;
    }
    if (a.atBottom && !hasNewer) virtualizer.scrollToIndex(last, { align: 'end' });
  }, [items, generation, focusId, hasNewer, virtualizer]);

  useLayoutEffect(() => {
    if (focusId === null) return;
    const index = items.findIndex((item) => item.kind === 'message' && item.message.id === focusId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [focusId, items, virtualizer]);

  function onScroll() {
    const element = scroller.current;
    if (element === null) return;
    const a = anchor.current;
    a.atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    const firstInView = virtualizer.getVirtualItems().find((v) => v.end > element.scrollTop);
    a.key = firstInView?.key ?? null;
    a.delta = firstInView === undefined ? 0 : firstInView.start - element.scrollTop;
    if (hasOlder && element.scrollTop < EDGE_PX) void props.loadOlder();
    if (hasNewer && element.scrollHeight - element.scrollTop - element.clientHeight < EDGE_PX) void props.loadNewer();
  }

  return (
    <div
      ref={scroller}
      data-testid="message-scroller"
      onScroll={onScroll}
      className="min-h-0 flex-1 overflow-y-auto"
      role="log"
      aria-label="Messages"
      aria-live="polite"
    >
      {hasOlder && (
        <div className="py-2 text-center text-xs text-muted" data-testid="older-more">
          Loading older messages…
        </div>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (item === undefined) return null;
          return (
            <div
              key={row.key}
              data-index={row.index}
              data-seq={item.kind === 'message' && !item.message.outgoing ? item.message.seq : undefined}
              ref={(element) => {
                virtualizer.measureElement(element);
                if (item.kind === 'message' && !item.message.outgoing) observeRead(element);
              }}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${row.start}px)` }}
            >
              {item.kind === 'unread' ? (
                <div role="separator" data-testid="unread-marker" className="mx-4 my-2 flex items-center gap-2 text-xs font-bold uppercase text-tone-bad">
                  <span className="h-px flex-1 bg-danger" />
                  New messages
                </div>
              ) : item.kind === 'call' ? (
                <CallLogRow entry={item.entry} peerName={props.nameOf(publicKey)} publicKey={publicKey} />
              ) : item.kind === 'day' ? (
                <div role="separator" data-testid="day-separator" className="mx-4 my-2 flex items-center gap-2 text-xs font-semibold text-muted">
                  <span className="h-px flex-1 bg-line" />
                  {item.label}
                  <span className="h-px flex-1 bg-line" />
                </div>
              ) : item.kind === 'file' ? (
                <FileItem
                  transfer={item.transfer}
                  groupStart={item.groupStart}
                  authorName={props.nameOf(item.transfer.direction === 'in' ? publicKey : props.ownKey)}
                  authorKey={item.transfer.direction === 'in' ? publicKey : props.ownKey}
                  contactName={props.nameOf(publicKey)}
                />
              ) : (
                <MessageRow
                  message={item.message}
                  groupStart={item.groupStart}
                  authorName={props.nameOf(item.message.author)}
                  ownKey={props.ownKey}
                  quoted={quotedOf(item.message, byId, props.nameOf)}
                  editing={props.editingId === item.message.id}
                  highlighted={focusId === item.message.id}
                  onReply={props.onReply}
                  onStartEdit={props.onStartEdit}
                  onCancelEdit={props.onCancelEdit}
                  onSaveEdit={props.onSaveEdit}
                  onDelete={props.onDelete}
                  onReact={props.onReact}
                />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function quotedOf(message: Message, byId: Map<string, Message>, nameOf: (author: string) => string): MessageRowProps['quoted'] {
  if (message.replyTo === null) return null;
  const original = byId.get(message.replyTo);
  return original === undefined ? null : { authorName: nameOf(original.author), message: original };
}

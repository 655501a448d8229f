import type { Message } from '@discordopus/protocol/bridge';
import { Pencil, Reply, Trash2 } from 'lucide-react';
import { memo } from 'react';
import { Avatar } from '../../components/ui/avatar';
import { InlineEditor } from './inline-editor';
import { timeOfDay } from './message-items';
import { MessageText } from './message-text';
import { MessageTicks } from './message-ticks';
import { ReactionPicker } from './reaction-picker';

export interface MessageRowProps {
  message: Message;
  groupStart: boolean;
  authorName: string;
  ownKey: string;
  /** The message this one answers, if it is loaded (else a short "original not loaded"). */
  quoted: { authorName: string; message: Message } | null;
  editing: boolean;
  highlighted: boolean;
  onReply(message: Message): void;
  onStartEdit(message: Message): void;
  onCancelEdit(): void;
  onSaveEdit(message: Message, text: string): Promise<unknown>;
  onDelete(message: Message): void;
  onReact(message: Message, emoji: string): void;
}

const ACTION = 'rounded p-1 text-muted hover:bg-hover hover:text-strong';

/**
 * MSG-01, MSG-03: one message, Discord style: the first of a group shows avatar, name and time;
 * own messages carry their state tick; hover (or focus) shows reply, react, edit and delete.
 */
export const MessageRow = memo(function MessageRow(props: MessageRowProps) {
  const { message, groupStart, authorName, ownKey, quoted, editing, highlighted } = props;
  const own = message.outgoing;
  return (
    <div
      data-testid="message"
      data-id={message.id}
      data-seq={message.seq}
      data-own={own}
      data-deleted={message.deleted}
      className={`group relative flex gap-3 px-4 ${groupStart ? 'mt-3 pt-0.5' : ''} py-0.5 hover:bg-hover/40 focus-within:bg-hover/40 ${highlighted ? 'bg-accent/15' : ''}`}
    >
      <div className="w-10 shrink-0">{groupStart && <Avatar name={authorName} seed={message.author} size={40} />}</div>
      <div className="min-w-0 flex-1">
        {quoted !== null && message.replyTo !== null && (
          <div data-testid="message-quote" className="mb-0.5 flex items-center gap-1 truncate text-xs text-muted">
            <Reply size={12} aria-hidden="true" className="shrink-0 -scale-x-100" />
            <span className="font-semibold">{quoted.authorName}</span>
            <span className="truncate">{quoted.message.deleted ? 'message deleted' : quoted.message.text}</span>
          </div>
        )}
        {quoted === null && message.replyTo !== null && (
          <div data-testid="message-quote" className="mb-0.5 text-xs italic text-muted">
            Reply to an earlier message
          </div>
        )}
        {groupStart && (
          <div className="flex items-baseline gap-2">
            <span data-testid="message-author" className={`text-sm font-semibold ${own ? 'text-accent' : 'text-strong'}`}>
              {authorName}
            </span>
            <time dateTime={new Date(message.sentAt).toISOString()} className="text-xs text-muted">
              {timeOfDay(message.sentAt)}
            </time>
          </div>
        )}
        {editing ? (
          <InlineEditor initial={message.text} onSave={(text) => props.onSaveEdit(message, text)} onCancel={props.onCancelEdit} />
        ) : (
          <div className="flex items-end gap-2">
            <div className={`min-w-0 rounded-lg px-2.5 py-1 text-sm ${own ? 'bg-accent/15' : 'bg-panel'} text-normal`}>
              {message.deleted ? (
                <span data-testid="message-tombstone" className="italic text-muted">
                  message deleted
                </span>
              ) : (
                <MessageText text={message.text} />
              )}
              {message.editedAt !== null && !message.deleted && (
                <span data-testid="message-edited" className="ml-1 text-[10px] text-muted" title={`Edited ${new Date(message.editedAt).toLocaleString()}`}>
                  (edited)
                </span>
              )}
            </div>
            {own && <MessageTicks message={message} />}
          </div>
        )}
        {message.reactions.length > 0 && !message.deleted && (
          <div className="mt-1 flex flex-wrap gap-1" data-testid="message-reactions">
            {message.reactions.map((r) => {
              const mine = r.by.includes(ownKey);
              return (
                <button
                  key={r.emoji}
                  type="button"
                  data-testid="reaction"
                  data-emoji={r.emoji}
                  data-mine={mine}
                  aria-pressed={mine}
                  aria-label={`${r.emoji} ${r.by.length}`}
                  onClick={() => props.onReact(message, r.emoji)}
                  className={`flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs ${mine ? 'border-accent bg-accent/15 text-strong' : 'border-line bg-panel text-normal'}`}
                >
                  <span>{r.emoji}</span>
                  <span>{r.by.length}</span>
                </button>
              );
            })}
          </div>
        )}
      </div>
      {!message.deleted && !editing && (
        <div className="absolute -top-3 right-4 hidden items-center gap-0.5 rounded border border-line bg-raised p-0.5 shadow group-hover:flex group-focus-within:flex" data-testid="message-actions">
          <button type="button" aria-label="Reply" data-testid="message-reply" className={ACTION} onClick={() => props.onReply(message)}>
            <Reply size={16} aria-hidden="true" />
          </button>
          <ReactionPicker onPick={(emoji) => props.onReact(message, emoji)} />
          {own && (
            <>
              <button type="button" aria-label="Edit" data-testid="message-edit" className={ACTION} onClick={() => props.onStartEdit(message)}>
                <Pencil size={16} aria-hidden="true" />
              </button>
              <button type="button" aria-label="Delete" data-testid="message-delete" className={`${ACTION} hover:text-tone-bad`} onClick={() => props.onDelete(message)}>
                <Trash2 size={16} aria-hidden="true" />
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
});

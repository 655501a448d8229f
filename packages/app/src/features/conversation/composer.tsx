import { codePoints, MESSAGE_LIMITS } from '@discordopus/protocol/messages';
import { messageInputProblem } from '@discordopus/protocol/bridge';
import { Paperclip, SendHorizontal, X } from 'lucide-react';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { errorMessage } from '../../lib/error-message';

/** The counter shows from here on (Discord shows it near the limit only). */
export const COUNTER_FROM_CHARS = MESSAGE_LIMITS.maxTextChars - 500;
/** A new typing notice at most this often while the user keeps typing (the core paces too). */
const TYPING_REPEAT_MS = 3_000;

export interface ComposerHandle {
  focus(): void;
}

export interface ComposerProps {
  contactName: string;
  replyingTo: { authorName: string; text: string } | null;
  onCancelReply(): void;
  onSend(text: string): Promise<unknown>;
  onTyping(typing: boolean): void;
  /** Up in an empty composer: edit the last own message. */
  onEditLast(): void;
  /** PRES-01: the user is invisible; sending opens a link, which shows this contact that the user is online. */
  invisible?: boolean;
  /** FILE-01: the attach button's chosen files (no button without it). */
  onAttach?: (files: File[]) => void;
  now?: () => number;
}

/**
 * MSG-01, MSG-03: write a message. Enter sends, Shift+Enter is a new line; a counter shows
 * near the 4,000-character limit and an over-long text is refused with the rule's sentence.
 * Typing tells the contact (at most every few seconds); sending or emptying stops it.
 */
export const Composer = forwardRef<ComposerHandle, ComposerProps>(function Composer(props, ref) {
  const { contactName, replyingTo, onCancelReply, onSend, onTyping, onEditLast } = props;
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);
  const now = props.now ?? Date.now;
  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus() }), []);
  useEffect(() => {
    if (replyingTo !== null) area.current?.focus();
  }, [replyingTo]);
  // Leaving the conversation while typing says so at once (instead of the contact's indicator expiring).
  const onTypingRef = useRef(onTyping);
  onTypingRef.current = onTyping;
  useEffect(
    () => () => {
      if (lastTyping.current !== 0) onTypingRef.current(false);
    },
    [],
  );

  const length = codePoints(text.normalize('NFC'));
  const over = length > MESSAGE_LIMITS.maxTextChars;

  function changed(next: string) {
    setText(next);
    setProblem(null);
    if (next.trim() === '') {
      if (lastTyping.current !== 0) onTyping(false);
      lastTyping.current = 0;
    } else if (now() - lastTyping.current >= TYPING_REPEAT_MS) {
      lastTyping.current = now();
      onTyping(true);
    }
  }

  async function send() {
    if (sending || text.trim() === '') return;
    const found = messageInputProblem(text);
    if (found !== null) return setProblem(found);
    setSending(true);
    try {
      await onSend(text);
      setText('');
      lastTyping.current = 0;
      onTyping(false);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSending(false);
      area.current?.focus();
    }
  }

  return (
    <div className="shrink-0 px-4 pb-4">
      {props.invisible === true && (
        <p data-testid="composer-invisible-hint" className="truncate pb-1 text-xs text-muted">
          You are invisible: sending a message reveals to {contactName} that you are online.
        </p>
      )}
      {replyingTo !== null && (
        <div data-testid="composer-reply" className="flex items-center gap-2 rounded-t-lg bg-panel px-3 py-1.5 text-xs text-muted">
          <span className="min-w-0 flex-1 truncate">
            Replying to <span className="font-semibold text-strong">{replyingTo.authorName}</span>: {replyingTo.text}
          </span>
          <button type="button" aria-label="Cancel reply" data-testid="composer-reply-cancel" onClick={onCancelReply} className="rounded p-0.5 hover:bg-hover">
            <X size={14} aria-hidden="true" />
          </button>
        </div>
      )}
      <div className={`flex items-end gap-2 bg-input px-3 py-2 ${replyingTo !== null ? 'rounded-b-lg' : 'rounded-lg'}`}>
        {props.onAttach !== undefined && (
          <>
            <button type="button" aria-label={`Send a file to ${contactName}`} data-testid="composer-attach" onClick={() => picker.current?.click()} className="shrink-0 rounded p-1 text-muted hover:text-strong">
              <Paperclip size={18} aria-hidden="true" />
            </button>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              data-testid="composer-file-input"
              onChange={(e) => {
                const files = Array.from(e.target.files ?? []);
                e.target.value = '';
                if (files.length > 0) props.onAttach?.(files);
              }}
            />
          </>
        )}
        <textarea
          ref={area}
          data-testid="composer-input"
          aria-label={`Message ${contactName}`}
          placeholder={`Message @${contactName}`}
          value={text}
          rows={Math.min(10, Math.max(1, text.split('\n').length))}
          onChange={(e) => changed(e.target.value)}
          onBlur={() => {
            if (lastTyping.current !== 0) onTyping(false);
            lastTyping.current = 0;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            } else if (e.key === 'Escape' && replyingTo !== null) {
              e.preventDefault();
              onCancelReply();
            } else if (e.key === 'ArrowUp' && text === '') {
              e.preventDefault();
              onEditLast();
            }
          }}
          aria-invalid={over || undefined}
          aria-describedby="composer-problem"
          className="max-h-60 min-h-6 flex-1 resize-none bg-transparent text-sm text-normal outline-none placeholder:text-muted"
        />
        {length >= COUNTER_FROM_CHARS && (
          <span data-testid="composer-counter" className={`shrink-0 text-xs ${over ? 'font-semibold text-tone-bad' : 'text-muted'}`}>
            {MESSAGE_LIMITS.maxTextChars - length}
          </span>
        )}
        <button type="button" aria-label="Send" data-testid="composer-send" disabled={sending || text.trim() === ''} onClick={() => void send()} className="shrink-0 rounded p-1 text-muted hover:text-strong disabled:opacity-40">
          <SendHorizontal size={18} aria-hidden="true" />
        </button>
      </div>
      <p id="composer-problem" role={problem !== null ? 'alert' : undefined} data-testid="composer-problem" className="min-h-4 pt-1 text-xs text-tone-bad">
        {problem ?? (over ? `A message is at most ${MESSAGE_LIMITS.maxTextChars} characters; this one has ${length}.` : '')}
      </p>
    </div>
  );
});

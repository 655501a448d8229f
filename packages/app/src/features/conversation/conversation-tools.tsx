import type { Message } from '@discordopus/protocol/bridge';
import { Bell, BellOff, Search, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { timeOfDay } from './message-items';

/** MSG-04: mute a conversation: unread messages still count, but no desktop notification shows. */
export function MuteToggle({ publicKey }: { publicKey: string }) {
  const actions = useActions();
  const muted = useAppState((s) => s.muted[publicKey] === true);
  return (
    <button
      type="button"
      data-testid="mute-toggle"
      aria-pressed={muted}
      aria-label={muted ? 'Unmute conversation' : 'Mute conversation'}
      title={muted ? 'Unmute: show notifications again' : 'Mute: no notifications for this conversation'}
      onClick={() => void actions.setMuted(publicKey, !muted).catch(() => undefined)}
      className="rounded p-1 text-muted hover:bg-hover hover:text-strong"
    >
      {muted ? <BellOff size={18} aria-hidden="true" /> : <Bell size={18} aria-hidden="true" />}
    </button>
  );
}

/** MSG-05: search this conversation; a result jumps to the message and highlights it. */
export function ConversationSearch({ publicKey, nameOf }: { publicKey: string; nameOf(author: string): string }) {
  const actions = useActions();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Message[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The search belongs to one conversation: another contact starts empty, and an answer for the
  // previous one (still on its way) is dropped instead of listing its messages here.
  const current = useRef(publicKey);
  useEffect(() => {
    current.current = publicKey;
    setQuery('');
    setResults(null);
    setProblem(null);
  }, [publicKey]);

  async function search() {
    if (query.trim() === '') return setResults(null);
    const asked = publicKey;
    setProblem(null);
    try {
      const found = await actions.search(query, asked);
      if (current.current === asked) setResults(found);
    } catch (error) {
      if (current.current === asked) setProblem(errorMessage(error));
    }
  }

  function close() {
    setResults(null);
    setProblem(null);
  }

  return (
    <div className="relative">
      <div className="flex items-center gap-1 rounded bg-input px-2">
        <Search size={14} className="text-muted" aria-hidden="true" />
        <input
          type="search"
          data-testid="message-search"
          aria-label="Search messages"
          placeholder="Search"
          value={query}
          maxLength={200}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void search();
            if (e.key === 'Escape') close();
          }}
          className="h-7 w-36 bg-transparent text-sm text-normal outline-none placeholder:text-muted"
        />
      </div>
      {(results !== null || problem !== null) && (
        <div data-testid="search-results" className="absolute right-0 top-9 z-30 w-80 rounded-md border border-line bg-panel p-2 shadow-xl">
          <div className="flex items-center justify-between pb-1 text-xs font-semibold text-muted">
            <span>{problem ?? `${results?.length ?? 0} result${results?.length === 1 ? '' : 's'}`}</span>
            <button type="button" aria-label="Close search results" onClick={close} className="rounded p-0.5 hover:bg-hover">
              <X size={14} aria-hidden="true" />
            </button>
          </div>
          <ul className="max-h-80 overflow-y-auto">
            {results?.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  data-testid="search-result"
                  data-id={m.id}
                  onClick={() => {
                    close();
                    void actions.jumpToMessage(publicKey, m);
                  }}
                  className="flex w-full flex-col rounded px-2 py-1 text-left hover:bg-hover"
                >
                  <span className="text-xs text-muted">
                    <span className="font-semibold text-strong">{nameOf(m.author)}</span> · {new Date(m.sentAt).toLocaleDateString()} {timeOfDay(m.sentAt)}
                  </span>
                  <span className="truncate text-sm text-normal">{m.text}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

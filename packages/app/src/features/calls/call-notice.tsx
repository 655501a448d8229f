import { useEffect, useState } from 'react';
import type { CallController } from './call-controller';

/** The sentence for a call problem the controller reported (review finding 5): code and words, never silent. */
export function callNoticeText(e: { kind: 'log'; code: string; message: string; retrying: boolean } | { kind: 'send'; code: string; message: string }): string {
  if (e.kind === 'send') return `A call message could not be sent (${e.code}): ${e.message}`;
  return e.retrying
    ? `This call could not be saved in the call log yet (${e.code}): it is saved when the profile is next unlocked.`
    : `This call could not be saved in the call log (${e.code}): ${e.message}`;
}

/** Review finding 1: the user hears why another microphone is used. */
export const MICROPHONE_FALLBACK_TEXT = 'Your chosen microphone is not connected, so the default microphone is used for this call (Settings → Voice).';

/** How many notices stay on screen (the newest). */
const MAX_NOTICES = 3;

/** A dismissable notice when a call's entry could not be recorded or a call frame could not be sent. */
export function CallNotice({ controller }: { controller: CallController }) {
  const [texts, setTexts] = useState<string[]>([]);
  useEffect(() => {
    const add = (text: string) => setTexts((list) => [...list.filter((t) => t !== text), text].slice(-MAX_NOTICES));
    const offs = [
      controller.on('logFailed', (e) => add(callNoticeText({ kind: 'log', ...e }))),
      controller.on('sendFailed', (e) => add(callNoticeText({ kind: 'send', ...e }))),
      controller.engine.on('microphoneFallback', () => add(MICROPHONE_FALLBACK_TEXT)),
    ];
    return () => offs.forEach((off) => off());
  }, [controller]);
  if (texts.length === 0) return null;
  return (
    <div role="status" data-testid="call-notice" className="mx-4 mt-2 flex items-start justify-between gap-3 rounded border border-line bg-input px-3 py-2 text-xs text-strong">
      <ul className="flex flex-col gap-1">
        {texts.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
      <button type="button" className="text-muted hover:text-strong" aria-label="Dismiss" data-testid="call-notice-dismiss" onClick={() => setTexts([])}>
        ×
      </button>
    </div>
  );
}

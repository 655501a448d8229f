import { MESSAGE_LIMITS } from '@discordopus/protocol/messages';
import { messageInputProblem } from '@discordopus/protocol/bridge';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/error-message';

/** MSG-03: edit an own message in place; Enter saves, Escape cancels. */
export function InlineEditor({ initial, onSave, onCancel }: { initial: string; onSave(text: string): Promise<unknown>; onCancel(): void }) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const area = ref.current;
    if (area === null) return;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }, []);

  async function save() {
    const found = messageInputProblem(text);
    if (found !== null) return setProblem(found);
    if (text.normalize('NFC') === initial) return onCancel();
    try {
      await onSave(text);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }

  return (
    <div className="mt-1 flex flex-col gap-1">
      <textarea
        ref={ref}
        data-testid="message-edit-input"
        aria-label="Edit message"
        value={text}
        rows={Math.min(8, text.split('\n').length)}
        maxLength={MESSAGE_LIMITS.maxTextChars * 4}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void save();
          }
        }}
        className="w-full resize-none rounded bg-input px-3 py-2 text-sm text-normal outline-none focus:ring-2 focus:ring-accent"
      />
      <span className="text-xs text-muted">
        Escape to cancel · Enter to save
        {problem !== null && (
          <span role="alert" className="ml-2 text-tone-bad" data-testid="message-edit-problem">
            {problem}
          </span>
        )}
      </span>
    </div>
  );
}

import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import { copyText } from '../../lib/browser-io';

/** Copies `text`; says "Copied" (or that it could not) for two seconds. */
export function CopyButton({ text, label, testId, compact = false }: { text: string; label: string; testId?: string; compact?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const shown = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label;
  return (
    <button
      type="button"
      data-testid={testId}
      aria-label={compact ? shown : undefined}
      title={compact ? shown : undefined}
      onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}
      className={
        compact
          ? 'rounded p-1.5 text-muted hover:bg-hover hover:text-strong'
          : 'inline-flex items-center gap-1.5 rounded bg-raised px-3 py-1.5 text-xs font-medium text-strong hover:bg-hover border border-line'
      }
    >
      {state === 'copied' ? <Check size={16} aria-hidden="true" className="text-tone-good" /> : <Copy size={16} aria-hidden="true" />}
      {!compact && shown}
      <span className="sr-only" aria-live="polite">
        {compact && state !== 'idle' ? shown : ''}
      </span>
    </button>
  );
}

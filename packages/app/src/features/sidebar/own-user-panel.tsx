import { Settings as SettingsIcon } from 'lucide-react';
import { Avatar } from '../../components/ui/avatar';
import { CopyButton } from '../../components/ui/copy-button';
import { StatusDot } from '../../components/ui/status-dot';
import { ownPresence } from '../../lib/own-presence';
import { useAppState } from '../../store/app-context';
import { StatusSelector } from './status-selector';

/** The bottom of the sidebar: who I am, my status, my ID to copy, and the settings button. */
export function OwnUserPanel({ onOpenSettings }: { onOpenSettings(): void }) {
  const identity = useAppState((s) => s.identity);
  const status = useAppState((s) => s.ownStatus);
  const connection = useAppState((s) => s.connection);
  const shown = status === null ? null : ownPresence(status, connection);
  return (
    <section aria-label="You" data-testid="own-user-panel" className="flex items-center gap-2 bg-panel px-2 py-2">
      <Avatar name={identity?.displayName ?? '?'} seed={identity?.userId ?? ''} size={32}>
        {shown !== null && <StatusDot status={shown.dot} label={shown.label} surface="panel" />}
      </Avatar>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-semibold text-strong" data-testid="own-display-name">
          {identity?.displayName ?? 'Loading…'}
        </p>
        <StatusSelector />
      </div>
      {identity !== null && <CopyButton text={identity.userId} label="Copy my ID" testId="copy-own-id" compact />}
      <button
        type="button"
        aria-label="Settings"
        title="Settings"
        data-testid="open-settings"
        onClick={onOpenSettings}
        className="rounded p-1.5 text-muted hover:bg-hover hover:text-strong"
      >
        <SettingsIcon size={18} aria-hidden="true" />
      </button>
    </section>
  );
}

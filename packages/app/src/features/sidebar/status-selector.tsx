import type { OwnStatusValue } from '@discordopus/protocol/bridge';
import * as Menu from '@radix-ui/react-dropdown-menu';
import { Check, ChevronDown } from 'lucide-react';
import { useState } from 'react';
import { StatusDot } from '../../components/ui/status-dot';
import { OWN_STATUS_OPTIONS, ownStatusLabel } from '../../lib/contact-display';
import { ownPresence } from '../../lib/own-presence';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';

/** PRES-01: choose online, away, busy or invisible; each choice says what it means. */
export function StatusSelector() {
  const status = useAppState((s) => s.ownStatus);
  const connection = useAppState((s) => s.connection);
  const shown = status === null ? null : ownPresence(status, connection);
  const actions = useActions();
  const [error, setError] = useState<string | null>(null);

  function choose(value: string) {
    setError(null);
    actions.setStatus(value as OwnStatusValue).catch((e: unknown) => setError(errorMessage(e)));
  }

  return (
    <div className="min-w-0">
      <Menu.Root>
        <Menu.Trigger
          data-testid="status-selector"
          data-status={status ?? 'loading'}
          data-connected={shown?.connected ?? false}
          aria-label={`Status: ${status === null ? 'loading' : shown?.connected === false ? `${ownStatusLabel(status)} once connected; ${shown.label.toLowerCase()}` : ownStatusLabel(status)}. Change status`}
          disabled={status === null}
          className="flex items-center gap-1 rounded px-1 text-xs text-muted hover:bg-hover hover:text-normal"
        >
          {shown !== null && <StatusDot status={shown.dot} label={shown.label} className="h-2 w-2" surface="none" />}
          <span className="truncate" data-testid="own-status-label">
            {shown === null ? 'Loading…' : shown.label}
          </span>
          <ChevronDown size={12} aria-hidden="true" />
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content
            side="top"
            align="start"
            sideOffset={8}
            className="z-50 w-72 rounded-md border border-line bg-panel p-1.5 text-normal shadow-xl"
          >
            <Menu.Label className="px-2 pb-1 pt-0.5 text-[11px] font-bold uppercase text-muted">Set status</Menu.Label>
            <Menu.RadioGroup value={status ?? ''} onValueChange={choose}>
              {OWN_STATUS_OPTIONS.map((option) => (
                <Menu.RadioItem
                  key={option.value}
                  value={option.value}
                  data-testid={`status-option-${option.value}`}
                  className="flex cursor-pointer select-none items-start gap-2.5 rounded px-2 py-2 outline-none data-[highlighted]:bg-accent data-[highlighted]:text-white"
                >
                  <StatusDot status={option.value} label="" className="mt-1 h-2.5 w-2.5" surface="none" />
                  <span className="flex-1">
                    <span className="block text-sm font-medium">{option.label}</span>
                    <span className="block text-xs opacity-80">{option.explanation}</span>
                  </span>
                  <Menu.ItemIndicator>
                    <Check size={16} aria-hidden="true" />
                  </Menu.ItemIndicator>
                </Menu.RadioItem>
              ))}
            </Menu.RadioGroup>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
      {error !== null && (
        <p role="alert" className="text-[11px] text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

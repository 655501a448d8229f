import { useId, useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from './section';

/** Settings → Privacy: whether contacts are told when their messages were read (MSG-01). */
export function PrivacySettings() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const on = settings?.sendReadReceipts !== false;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();

  async function toggle() {
    setBusy(true);
    setFailure(null);
    try {
      await actions.updateSettings({ sendReadReceipts: !on });
    } catch (error) {
      setFailure(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <SettingsSection title="Messages" testId="privacy-settings">
      <div className="flex flex-col gap-2">
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={id} className="text-sm font-medium text-strong">
            Send read receipts
          </label>
          <button
            id={id}
            type="button"
            role="switch"
            aria-checked={on}
            disabled={settings === null || busy}
            onClick={() => void toggle()}
            data-testid="read-receipts-switch"
            className={`relative h-6 w-11 shrink-0 rounded-full transition-colors disabled:opacity-50 ${on ? 'bg-accent' : 'bg-input'}`}
          >
            <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition-[left] ${on ? 'left-[22px]' : 'left-0.5'}`} aria-hidden="true" />
          </button>
        </div>
        <p className="text-xs text-muted">
          {on
            ? 'On: your contacts see when you have read their messages.'
            : 'Off: your contacts do not see when you read their messages. They still see that a message was delivered.'}
        </p>
        {failure !== null && (
          <p role="alert" className="text-xs text-danger">
            {failure}
          </p>
        )}
      </div>
    </SettingsSection>
  );
}

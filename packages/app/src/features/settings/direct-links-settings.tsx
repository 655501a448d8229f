import { useId, useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from './section';

/**
 * P2P-03's privacy option: direct links only through a TURN relay, so that contacts never learn
 * the user's IP address. The core closes an open link that is not relayed.
 */
export function RelayOnlySetting() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const on = settings?.relayOnly === true;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();

  async function toggle() {
    setBusy(true);
    setFailure(null);
    try {
      await actions.updateSettings({ relayOnly: !on });
    } catch (error) {
      setFailure(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <SettingsSection title="Direct links" testId="relay-only-setting">
      <div className="flex items-center justify-between gap-3">
        <label htmlFor={id} className="text-sm font-medium text-strong">
          Connect to contacts only through a relay
        </label>
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={on}
          disabled={settings === null || busy}
          onClick={() => void toggle()}
          data-testid="relay-only-switch"
          className={`relative h-6 w-11 shrink-0 rounded-full transition-colors disabled:opacity-50 ${on ? 'bg-accent' : 'bg-input'}`}
        >
          <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition-[left] ${on ? 'left-[22px]' : 'left-0.5'}`} aria-hidden="true" />
        </button>
      </div>
      <p className="text-xs text-muted" data-testid="relay-only-explanation">
        {on
          ? 'On: your contacts never learn your IP address. Links go through the server’s relay, which adds a little delay; links that are not relayed are closed.'
          : 'Off: links go straight to your contact’s computer when possible (fastest); your contact can then see your IP address.'}
      </p>
      {failure !== null && (
        <p role="alert" className="text-xs text-danger">
          {failure}
        </p>
      )}
    </SettingsSection>
  );
}

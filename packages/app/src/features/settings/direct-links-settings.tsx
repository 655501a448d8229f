import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { useId, useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from './section';
import { SettingSwitch } from './setting-switch';

/** Settings → Network → Direct links: relay-only (P2P-03) and when unused links close (P2P-01). */
export function DirectLinksSettings() {
  return (
    <SettingsSection title="Direct links" testId="direct-links-settings">
      <RelayOnlySwitch />
      <IdleCloseChoice />
    </SettingsSection>
  );
}

/**
 * P2P-03's privacy option: direct links only through a TURN relay, so that contacts never learn
 * the user's IP address. The core closes an open link that is not relayed.
 */
function RelayOnlySwitch() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const on = settings?.relayOnly === true;
  return (
    <SettingSwitch
      label="Connect to contacts only through a relay"
      on={on}
      disabled={settings === null}
      update={(next) => actions.updateSettings({ relayOnly: next })}
      testId="relay-only-setting"
      switchTestId="relay-only-switch"
      explanationTestId="relay-only-explanation"
      explanation={
        on
          ? 'On: your contacts never learn your IP address. Links go through the server’s relay, which adds a little delay; links that are not relayed are closed.'
          : 'Off: links go straight to your contact’s computer when possible (fastest); your contact can then see your IP address.'
      }
    />
  );
}

const MINUTE_MS = 60_000;
/** The choices offered; a value set elsewhere (e.g. the CLI) is shown as its own entry. */
const IDLE_CHOICES: ReadonlyArray<{ ms: number; label: string }> = [
  { ms: MINUTE_MS, label: '1 minute' },
  { ms: 5 * MINUTE_MS, label: '5 minutes' },
  { ms: 15 * MINUTE_MS, label: '15 minutes' },
  { ms: 60 * MINUTE_MS, label: '1 hour' },
  { ms: BRIDGE_LIMITS.linkIdleCloseMaxMs, label: '24 hours' },
];

function durationLabel(ms: number): string {
  const known = IDLE_CHOICES.find((c) => c.ms === ms);
  if (known !== undefined) return known.label;
  return ms % MINUTE_MS === 0 ? `${ms / MINUTE_MS} minutes` : `${Math.round(ms / 1000)} seconds`;
}

/** P2P-01: a link nobody used for this long closes (it reopens on demand); open links follow at once. */
function IdleCloseChoice() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const current = settings?.linkIdleCloseMs ?? null;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();
  const choices = current === null || IDLE_CHOICES.some((c) => c.ms === current) ? IDLE_CHOICES : [...IDLE_CHOICES, { ms: current, label: durationLabel(current) }];

  async function choose(ms: number) {
    setBusy(true);
    setFailure(null);
    try {
      await actions.updateSettings({ linkIdleCloseMs: ms });
    } catch (error) {
      setFailure(errorMessage(error));
    }
    setBusy(false);
  }

  if (current === null) return null;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center justify-between gap-3">
        <label htmlFor={id} className="text-sm font-medium text-strong">
          Close a link when unused for
        </label>
        <select
          id={id}
          value={current}
          disabled={busy}
          onChange={(e) => void choose(Number(e.target.value))}
          data-testid="link-idle-select"
          className="rounded border border-transparent bg-input px-2 py-1 text-sm text-strong focus:outline-none focus-visible:ring-2 focus-visible:ring-accent"
        >
          {choices.map((c) => (
            <option key={c.ms} value={c.ms}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <p className="text-xs text-muted">It opens again by itself when you open the conversation or send something.</p>
      {failure !== null && (
        <p role="alert" className="text-xs text-danger">
          {failure}
        </p>
      )}
    </div>
  );
}

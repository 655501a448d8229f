import { type Theme, THEMES } from '@discordopus/protocol/bridge';
import { Monitor, Moon, Sun } from 'lucide-react';
import { useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from './section';

const LABELS: Record<Theme, { label: string; icon: typeof Sun }> = {
  dark: { label: 'Dark', icon: Moon },
  light: { label: 'Light', icon: Sun },
  system: { label: 'Same as the system', icon: Monitor },
};

/** Dark, light, or follow the system. */
export function AppearanceSettings() {
  const theme = useAppState((s) => s.settings?.theme ?? null);
  const actions = useActions();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <SettingsSection title="Theme" testId="appearance-settings">
      <div role="radiogroup" aria-label="Theme" className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        {THEMES.map((value) => {
          const { label, icon: Icon } = LABELS[value];
          const checked = theme === value;
          return (
            <label
              key={value}
              className={`flex cursor-pointer items-center gap-2 rounded-md border-2 px-3 py-3 text-sm ${
                checked ? 'border-accent bg-accent/10 text-strong' : 'border-line text-normal hover:bg-hover'
              }`}
            >
              <input
                type="radio"
                name="theme"
                value={value}
                checked={checked}
                disabled={theme === null}
                data-testid={`theme-${value}`}
                onChange={() => {
                  setFailure(null);
                  actions.updateSettings({ theme: value }).catch((error: unknown) => setFailure(errorMessage(error)));
                }}
                className="accent-accent"
              />
              <Icon size={16} aria-hidden="true" />
              {label}
            </label>
          );
        })}
      </div>
      {failure !== null && (
        <p role="alert" className="text-sm text-danger">
          {failure}
        </p>
      )}
    </SettingsSection>
  );
}

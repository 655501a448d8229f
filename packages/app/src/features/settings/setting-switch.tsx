import { type ReactNode, useId, useState } from 'react';
import { errorMessage } from '../../lib/error-message';

export interface SettingSwitchProps {
  /** What the switch turns on, shown next to it. */
  label: string;
  on: boolean;
  /** True while the settings are not loaded yet. */
  disabled: boolean;
  /** Saves the new value (the opposite of `on`); a rejection is shown under the switch. */
  update: (next: boolean) => Promise<unknown>;
  /** The switch button's data-testid. */
  switchTestId: string;
  /** The row's data-testid, if any. */
  testId?: string;
  /** The row's classes. */
  className?: string;
  /** What the current value means, under the switch. */
  explanation: ReactNode;
  explanationClassName?: string;
  explanationTestId?: string;
}

/**
 * One on/off setting: a labelled switch, what the current value means and, when saving fails, why.
 * Shared by the settings sections (direct links, network, privacy).
 */
export function SettingSwitch(props: SettingSwitchProps) {
  const { label, on, disabled, update, switchTestId, testId, className = 'flex flex-col gap-2', explanation, explanationClassName = 'text-xs text-muted', explanationTestId } = props;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();

  async function toggle() {
    setBusy(true);
    setFailure(null);
    try {
      await update(!on);
    } catch (error) {
      setFailure(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <div className={className} data-testid={testId}>
      <div className="flex items-center justify-between gap-3">
        <label htmlFor={id} className="text-sm font-medium text-strong">
          {label}
        </label>
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={on}
          disabled={disabled || busy}
          onClick={() => void toggle()}
          data-testid={switchTestId}
          className={`relative h-6 w-11 shrink-0 rounded-full transition-colors disabled:opacity-50 ${on ? 'bg-accent' : 'bg-input'}`}
        >
          <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition-[left] ${on ? 'left-[22px]' : 'left-0.5'}`} aria-hidden="true" />
        </button>
      </div>
      <p className={explanationClassName} data-testid={explanationTestId}>
        {explanation}
      </p>
      {failure !== null && (
        <p role="alert" className="text-xs text-danger">
          {failure}
        </p>
      )}
    </div>
  );
}

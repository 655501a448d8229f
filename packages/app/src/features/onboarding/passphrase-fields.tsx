import { useId } from 'react';
import { TextField } from '../../components/ui/text-field';
import { loadPassphraseEstimator, passphraseHint, usePassphraseEstimator } from '../../lib/passphrase-strength';

const METER_COLORS = ['bg-danger', 'bg-danger', 'bg-away', 'bg-online', 'bg-online'];

export interface PassphraseFieldsProps {
  passphrase: string;
  confirmation: string;
  onPassphrase(value: string): void;
  onConfirmation(value: string): void;
  /** Show the mismatch only after the user tried to submit or typed enough. */
  showErrors: boolean;
  label?: string;
  autoFocus?: boolean;
  /** The profile's display name: the core's gate counts it as known to an attacker, so does the meter. */
  displayName?: string;
}

/** A new passphrase with its confirmation and a live strength hint. */
export function PassphraseFields({ passphrase, confirmation, onPassphrase, onConfirmation, showErrors, label = 'Passphrase', autoFocus, displayName }: PassphraseFieldsProps) {
  const estimator = usePassphraseEstimator();
  const strength = passphraseHint(passphrase, estimator, displayName ? { displayName } : {});
  const meterId = useId();
  const mismatch = confirmation.length > 0 && confirmation !== passphrase && (showErrors || confirmation.length >= passphrase.length);
  return (
    <>
      <TextField
        label={label}
        type="password"
        autoComplete="new-password"
        value={passphrase}
        autoFocus={autoFocus}
        onChange={(e) => onPassphrase(e.target.value)}
        data-testid="passphrase-input"
        error={showErrors && !strength.acceptable ? strength.hint : null}
        hint={
          <div className="flex flex-col gap-1" data-testid="passphrase-strength" data-score={strength.score} data-ready={estimator !== null}>
            <div className="flex gap-1" id={meterId} aria-hidden="true">
              {[1, 2, 3, 4].map((step) => (
                <span key={step} className={`h-1 flex-1 rounded ${strength.score >= step ? METER_COLORS[strength.score] : 'bg-input'}`} />
              ))}
            </div>
            <span>
              {strength.label !== '' && <strong className="font-semibold">{strength.label}. </strong>}
              {strength.hint}
            </span>
          </div>
        }
      />
      <TextField
        label="Confirm passphrase"
        type="password"
        autoComplete="new-password"
        value={confirmation}
        onChange={(e) => onConfirmation(e.target.value)}
        data-testid="passphrase-confirm-input"
        error={mismatch || (showErrors && confirmation !== passphrase) ? 'The passphrases do not match.' : null}
      />
    </>
  );
}

/** Whether the form may be sent: the core's estimator accepts the passphrase and it was confirmed. */
export async function passphrasesReady(passphrase: string, confirmation: string, context: { displayName?: string } = {}): Promise<boolean> {
  return passphraseHint(passphrase, await loadPassphraseEstimator(), context).acceptable && passphrase === confirmation;
}

import { useId } from 'react';
import { TextField } from '../../components/ui/text-field';
import { passphraseHint } from '../../lib/passphrase-strength';

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
}

/** A new passphrase with its confirmation and a live strength hint. */
export function PassphraseFields({ passphrase, confirmation, onPassphrase, onConfirmation, showErrors, label = 'Passphrase', autoFocus }: PassphraseFieldsProps) {
  const strength = passphraseHint(passphrase);
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
          <div className="flex flex-col gap-1" data-testid="passphrase-strength" data-score={strength.score}>
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

export function passphrasesReady(passphrase: string, confirmation: string): boolean {
  return passphraseHint(passphrase).acceptable && passphrase === confirmation;
}

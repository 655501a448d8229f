import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button';
import { TextField } from '../../components/ui/text-field';
import { errorMessage } from '../../lib/error-message';
import { useActions } from '../../store/app-context';
import { PassphraseFields, passphrasesReady } from './passphrase-fields';

/** IDEN-01: a display name and a passphrase; the key pair is made by the core, locally. */
export function CreateIdentityForm() {
  const actions = useActions();
  const [displayName, setDisplayName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const nameProblem = displayName.trim().length === 0 ? 'Choose a display name.' : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setFailure(null);
    if (nameProblem !== null || !(await passphrasesReady(passphrase, confirmation, { displayName: displayName.trim() }))) return;
    setBusy(true);
    try {
      await actions.createProfile({ displayName: displayName.trim(), passphrase });
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Create your identity" noValidate>
      <TextField
        label="Display name"
        value={displayName}
        maxLength={BRIDGE_LIMITS.displayNameChars}
        autoFocus
        autoComplete="nickname"
        onChange={(e) => setDisplayName(e.target.value)}
        data-testid="display-name-input"
        error={tried ? nameProblem : null}
        hint="How your contacts see you."
      />
      <PassphraseFields
        passphrase={passphrase}
        confirmation={confirmation}
        onPassphrase={setPassphrase}
        onConfirmation={setConfirmation}
        showErrors={tried}
        displayName={displayName.trim()}
      />
      <p className="text-xs text-muted">
        The passphrase encrypts everything on this computer. There is no way to recover it: keep it safe, and export a backup later.
      </p>
      {failure !== null && (
        <p role="alert" className="rounded bg-danger/10 px-3 py-2 text-sm text-danger">
          {failure}
        </p>
      )}
      <Button type="submit" busy={busy} data-testid="create-identity-submit">
        Create identity
      </Button>
    </form>
  );
}

import { type FormEvent, useRef, useState } from 'react';
import { Button } from '../../components/ui/button';
import { TextField } from '../../components/ui/text-field';
import { errorCode, errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { AuthLayout } from './auth-layout';

/** Later launches: the passphrase opens the vault; a wrong one says so clearly (VAULT-02). */
export function UnlockScreen() {
  const actions = useActions();
  const profileName = useAppState((s) => s.session?.profileName ?? null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (passphrase.length === 0) {
      setFailure('Enter your passphrase.');
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await actions.unlock(passphrase);
    } catch (error) {
      setFailure(errorCode(error) === 'WRONG_PASSPHRASE' ? 'Wrong passphrase. Check it and try again.' : errorMessage(error));
      setPassphrase('');
      setBusy(false);
      input.current?.focus();
    }
  }

  return (
    <AuthLayout testId="unlock-screen">
    <form onSubmit={submit} noValidate aria-label="Unlock">
      <h1 className="text-center text-2xl font-semibold text-strong">Welcome back!</h1>
      <p className="mb-6 mt-1 text-center text-sm text-muted">
        {profileName === null ? 'Enter your passphrase to unlock DiscordOpus.' : `Enter the passphrase of profile “${profileName}”.`}
      </p>
      <div className="flex flex-col gap-4">
        <TextField
          ref={input}
          label="Passphrase"
          type="password"
          autoFocus
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          data-testid="unlock-passphrase-input"
          error={failure}
        />
        <Button type="submit" busy={busy} data-testid="unlock-submit">
          Unlock
        </Button>
      </div>
    </form>
    </AuthLayout>
  );
}

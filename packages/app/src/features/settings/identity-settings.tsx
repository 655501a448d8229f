import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button';
import { CopyButton } from '../../components/ui/copy-button';
import { QrCode } from '../../components/ui/qr-code';
import { TextField } from '../../components/ui/text-field';
import { downloadFile } from '../../lib/browser-io';
import { errorCode, errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { PassphraseFields, passphrasesReady } from '../onboarding/passphrase-fields';
import { DisplayNameSetting } from './display-name-setting';
import { SettingsSection } from './section';

function wrongPassphrase(error: unknown): string {
  return errorCode(error) === 'WRONG_PASSPHRASE' ? 'Wrong passphrase.' : errorMessage(error);
}

/** IDEN-03: export a passphrase-protected backup of the identity. */
function ExportBackup() {
  const actions = useActions();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (passphrase.length === 0) return setResult({ ok: false, message: 'Enter your passphrase.' });
    setBusy(true);
    setResult(null);
    try {
      const file = await actions.exportBackup(passphrase);
      downloadFile(file.fileName, file.backupBase64);
      setPassphrase('');
      setResult({ ok: true, message: `Saved as ${file.fileName}. Keep it somewhere safe.` });
    } catch (error) {
      setResult({ ok: false, message: wrongPassphrase(error) });
    }
    setBusy(false);
  }

  return (
    <SettingsSection title="Backup" description="A file with your identity, your contacts and your settings, protected by your passphrase. Restore it on a new computer to keep your ID and your contacts." testId="export-backup">
      <form onSubmit={submit} noValidate className="flex flex-col gap-3">
        <TextField
          label="Passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          data-testid="export-backup-passphrase"
          error={result !== null && !result.ok ? result.message : null}
          hint={result?.ok === true ? result.message : undefined}
        />
        <div>
          <Button type="submit" busy={busy} data-testid="export-backup-submit">
            Export backup
          </Button>
        </div>
      </form>
    </SettingsSection>
  );
}

/** VAULT-02: change the passphrase (the current one is required). */
function ChangePassphrase() {
  const actions = useActions();
  const displayName = useAppState((s) => s.identity?.displayName) ?? '';
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setResult(null);
    if (current.length === 0 || !(await passphrasesReady(next, confirmation, { displayName }))) return;
    setBusy(true);
    try {
      await actions.changePassphrase(current, next);
      setCurrent('');
      setNext('');
      setConfirmation('');
      setTried(false);
      setResult({ ok: true, message: 'Passphrase changed.' });
    } catch (error) {
      setResult({ ok: false, message: wrongPassphrase(error) });
    }
    setBusy(false);
  }

  return (
    <SettingsSection title="Change passphrase" testId="change-passphrase">
      <form onSubmit={submit} noValidate className="flex flex-col gap-3">
        <TextField
          label="Current passphrase"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          data-testid="current-passphrase-input"
          error={tried && current.length === 0 ? 'Enter your current passphrase.' : null}
        />
        <PassphraseFields
          label="New passphrase"
          passphrase={next}
          confirmation={confirmation}
          onPassphrase={setNext}
          onConfirmation={setConfirmation}
          showErrors={tried}
          displayName={displayName}
        />
        {result !== null && (
          <p role={result.ok ? 'status' : 'alert'} className={`text-sm ${result.ok ? 'text-tone-good' : 'text-danger'}`} data-testid="change-passphrase-result">
            {result.message}
          </p>
        )}
        <div>
          <Button type="submit" busy={busy} data-testid="change-passphrase-submit">
            Change passphrase
          </Button>
        </div>
      </form>
    </SettingsSection>
  );
}

/** UI-02: the user's own ID as text and QR code, backup and passphrase. */
export function IdentitySettings() {
  const identity = useAppState((s) => s.identity);
  if (identity === null) return <p className="text-sm text-muted">Loading…</p>;
  return (
    <div className="flex flex-col gap-5">
      <SettingsSection title="Your name" testId="own-name-section">
        <DisplayNameSetting />
      </SettingsSection>
      <SettingsSection title="Your ID" description="Give it to the people who should be able to add you. Its checksum catches typing mistakes." testId="own-id-section">
        <div className="flex flex-col items-center gap-4 sm:flex-row sm:items-start">
          <QrCode value={identity.userId} label="QR code of your ID" size={152} />
          <div className="flex min-w-0 flex-1 flex-col gap-2">
            <p className="text-sm">
              <span className="text-muted">Display name: </span>
              <strong className="text-strong">{identity.displayName}</strong>
            </p>
            <code className="break-all rounded bg-panel p-3 font-mono text-sm text-strong" data-testid="own-user-id">
              {identity.userId}
            </code>
            <div>
              <CopyButton text={identity.userId} label="Copy ID" testId="settings-copy-id" />
            </div>
          </div>
        </div>
      </SettingsSection>
      <ExportBackup />
      <ChangePassphrase />
    </div>
  );
}

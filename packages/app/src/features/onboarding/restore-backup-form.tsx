import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button';
import { TextField } from '../../components/ui/text-field';
import { bytesToBase64 } from '../../lib/base64';
import { errorMessage } from '../../lib/error-message';
import { useActions } from '../../store/app-context';
import { PassphraseFields, passphrasesReady } from './passphrase-fields';

const MAX_BACKUP_BYTES = Math.floor((BRIDGE_LIMITS.backupBase64Chars * 3) / 4);

/** IDEN-03: restore an exported profile (identity, contacts, settings) into this new profile. */
export function RestoreBackupForm() {
  const actions = useActions();
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [backupPassphrase, setBackupPassphrase] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function chooseFile(selected: File | undefined) {
    setFile(null);
    setFileProblem(null);
    if (selected === undefined) return;
    if (selected.size === 0 || selected.size > MAX_BACKUP_BYTES) {
      setFileProblem('That file is not a DiscordOpus backup (wrong size).');
      return;
    }
    const bytes = new Uint8Array(await selected.arrayBuffer());
    setFile({ name: selected.name, base64: bytesToBase64(bytes) });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setFailure(null);
    if (file === null || backupPassphrase.length === 0 || !(await passphrasesReady(passphrase, confirmation))) return;
    setBusy(true);
    try {
      await actions.restoreProfile({ backupBase64: file.base64, backupPassphrase, passphrase });
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  const fileMessage = fileProblem ?? (tried && file === null ? 'Choose the backup file you exported.' : null);
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Restore from a backup" noValidate>
      <p className="text-sm text-normal" data-testid="restore-explainer">
        A backup brings back your ID, your contacts with their nicknames and verifications, and your settings.
      </p>
      <p className="rounded border border-tone-warn/40 bg-away/10 px-3 py-2 text-sm text-normal" data-testid="restore-takeover-note">
        <strong className="text-strong">One computer at a time.</strong> Restoring on a second computer takes your identity over from the
        first: an ID is signed in on one computer at a time, and the one that connects last signs the other out.
      </p>
      <div className="flex flex-col gap-1.5">
        <span id="backup-file-label" className="text-xs font-bold uppercase tracking-wide text-muted">
          Backup file
        </span>
        <div className="flex items-center gap-3">
          {/* The browser's own file button shows the name a second time and cannot be styled: it stays hidden behind this label. */}
          <label
            htmlFor="backup-file"
            data-testid="backup-file-button"
            className="inline-flex cursor-pointer items-center rounded border border-line bg-raised px-3 py-2 text-sm font-medium text-strong hover:bg-hover focus-within:ring-2 focus-within:ring-accent"
          >
            {file === null ? 'Choose file…' : 'Choose another…'}
            <input
              id="backup-file"
              type="file"
              aria-labelledby="backup-file-label"
              data-testid="backup-file-input"
              onChange={(e) => void chooseFile(e.target.files?.[0])}
              className="sr-only"
            />
          </label>
          <span className="min-w-0 truncate text-sm text-muted" data-testid="backup-file-name" title={file?.name}>
            {file?.name ?? 'No file chosen'}
          </span>
        </div>
        {fileMessage !== null && (
          <p role="alert" className="text-xs text-danger">
            {fileMessage}
          </p>
        )}
      </div>
      <TextField
        label="Backup passphrase"
        type="password"
        autoComplete="off"
        value={backupPassphrase}
        onChange={(e) => setBackupPassphrase(e.target.value)}
        data-testid="backup-passphrase-input"
        error={tried && backupPassphrase.length === 0 ? 'Enter the passphrase the backup was made with.' : null}
      />
      <PassphraseFields
        label="New passphrase for this computer"
        passphrase={passphrase}
        confirmation={confirmation}
        onPassphrase={setPassphrase}
        onConfirmation={setConfirmation}
        showErrors={tried}
      />
      {failure !== null && (
        <p role="alert" className="rounded bg-danger/10 px-3 py-2 text-sm text-danger">
          {failure}
        </p>
      )}
      <Button type="submit" busy={busy} data-testid="restore-submit">
        Restore profile
      </Button>
    </form>
  );
}

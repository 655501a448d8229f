import { downloadsDirSchema } from '@discordopus/protocol/bridge';
import { FILE_LIMITS } from '@discordopus/protocol/files';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button';
import { TextField } from '../../components/ui/text-field';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { SettingsSection } from '../settings/section';
import { SettingSwitch } from '../settings/setting-switch';
import { formatBytes } from './file-format';

const MB = 1024 ** 2;
const GB = 1024 ** 3;
/** What auto-accept starts at when turned on (Discord's old free upload limit). */
export const AUTO_ACCEPT_START_BYTES = 25 * MB;

type Unit = 'MB' | 'GB';

function splitBytes(bytes: number): { amount: string; unit: Unit } {
  if (bytes >= GB && bytes % GB === 0) return { amount: String(bytes / GB), unit: 'GB' };
  return { amount: String(Math.round((bytes / MB) * 100) / 100), unit: 'MB' };
}

/** The bytes a typed size means, or the sentence saying why it is not one. */
export function parseSize(amount: string, unit: Unit): { bytes: number } | { problem: string } {
  const value = Number(amount.trim().replace(',', '.'));
  if (amount.trim() === '' || !Number.isFinite(value)) return { problem: 'Type a number.' };
  const bytes = Math.round(value * (unit === 'GB' ? GB : MB));
  if (bytes < MB) return { problem: 'The smallest size is 1 MB.' };
  if (bytes > FILE_LIMITS.maxFileBytes) return { problem: `The largest size is ${formatBytes(FILE_LIMITS.maxFileBytes)}.` };
  return { bytes };
}

/** A size typed as a number and MB or GB, saved with its own button. */
function SizeField(props: { label: string; bytes: number; testId: string; disabled: boolean; save(bytes: number): Promise<unknown> }) {
  const { label, bytes, testId, disabled, save } = props;
  const [amount, setAmount] = useState(splitBytes(bytes).amount);
  const [unit, setUnit] = useState<Unit>(splitBytes(bytes).unit);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    setAmount(splitBytes(bytes).amount);
    setUnit(splitBytes(bytes).unit);
  }, [bytes]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = parseSize(amount, unit);
    if ('problem' in parsed) return setProblem(parsed.problem);
    setProblem(null);
    setBusy(true);
    try {
      await save(parsed.bytes);
      setSaved(true);
    } catch (error) {
      setProblem(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-1.5" data-testid={testId}>
      <label htmlFor={id} className="text-xs font-bold uppercase tracking-wide text-muted">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={id}
          inputMode="decimal"
          value={amount}
          disabled={disabled}
          onChange={(e) => {
            setAmount(e.target.value);
            setSaved(false);
          }}
          aria-invalid={problem !== null || undefined}
          data-testid={`${testId}-amount`}
          className="w-28 rounded bg-input px-3 py-2 text-sm text-strong focus:outline-none focus-visible:ring-2 focus-visible:ring-accent"
        />
        <select
          aria-label={`${label}: unit`}
          value={unit}
          disabled={disabled}
          onChange={(e) => setUnit(e.target.value as Unit)}
          data-testid={`${testId}-unit`}
          className="rounded bg-input px-2 py-2 text-sm text-strong"
        >
          <option value="MB">MB</option>
          <option value="GB">GB</option>
        </select>
        <Button type="submit" variant="secondary" busy={busy} disabled={disabled} data-testid={`${testId}-save`}>
          Save
        </Button>
        {saved && <span className="text-xs text-tone-good">Saved</span>}
      </div>
      {problem !== null && (
        <p role="alert" data-testid={`${testId}-problem`} className="text-xs text-tone-bad">
          {problem}
        </p>
      )}
    </form>
  );
}

/** FILE-03: where received files go; a full path, checked here and by the core (which must be able to write there). */
function DownloadsFolder() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const current = settings?.downloadsDir ?? '';
  const [dir, setDir] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDir(current), [current]);

  async function save(next: string | null) {
    if (next !== null) {
      const checked = downloadsDirSchema.safeParse(next.trim());
      if (!checked.success) return setProblem(checked.error.issues[0]?.message ?? 'That is not a folder path.');
    }
    setProblem(null);
    setBusy(true);
    try {
      await actions.updateFileSettings({ downloadsDir: next === null ? null : next.trim() });
    } catch (error) {
      setProblem(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void save(dir);
      }}
    >
      <TextField
        label="Downloads folder"
        value={dir}
        onChange={(e) => setDir(e.target.value)}
        disabled={settings === null}
        error={problem}
        hint="Files you accept are saved here, under a safe name of their own; nothing received is ever opened or run."
        data-testid="downloads-dir-input"
        spellCheck={false}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="secondary" busy={busy} disabled={settings === null || dir.trim() === current} data-testid="downloads-dir-save">
          Save folder
        </Button>
        <Button variant="ghost" disabled={busy || settings === null} onClick={() => void save(null)} data-testid="downloads-dir-default">
          Use the default
        </Button>
      </div>
    </form>
  );
}

/** FILE-01: auto-accept from verified contacts (off by default), up to a size. */
function AutoAccept() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const limit = settings?.autoAcceptVerifiedMaxBytes ?? 0;
  const on = limit > 0;
  return (
    <div className="flex flex-col gap-3">
      <SettingSwitch
        label="Accept files from verified contacts without asking"
        on={on}
        disabled={settings === null}
        update={(next) => actions.updateFileSettings({ autoAcceptVerifiedMaxBytes: next ? AUTO_ACCEPT_START_BYTES : 0 })}
        switchTestId="auto-accept-switch"
        explanationTestId="auto-accept-explanation"
        explanation={
          on
            ? `On: files up to ${formatBytes(limit)} from contacts you verified are saved at once. Others still ask.`
            : 'Off: every file asks you first.'
        }
      />
      {on && (
        <SizeField label="Accept without asking up to" bytes={limit} testId="auto-accept-size" disabled={settings === null} save={(bytes) => actions.updateFileSettings({ autoAcceptVerifiedMaxBytes: bytes })} />
      )}
    </div>
  );
}

/** Settings → Files: downloads folder, the largest file to receive, auto-accept (FILE-01, FILE-03). */
export function FileSettings() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  return (
    <SettingsSection title="Files" testId="file-settings">
      <DownloadsFolder />
      <SizeField
        label="Largest file to receive"
        bytes={settings?.maxReceiveBytes ?? 4 * GB}
        testId="max-receive"
        disabled={settings === null}
        save={(bytes) => actions.updateFileSettings({ maxReceiveBytes: bytes })}
      />
      <AutoAccept />
    </SettingsSection>
  );
}

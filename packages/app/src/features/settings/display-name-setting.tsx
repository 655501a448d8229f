import { BRIDGE_LIMITS, displayNameProblem } from '@discordopus/protocol/bridge';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/ui/button';
import { TextField } from '../../components/ui/text-field';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';

/**
 * P2P-05: the user's own display name, how contacts see them. Checked with the bridge's rule
 * (the vault's) before it is sent; the core signs the new card and sends it to every open link.
 */
export function DisplayNameSetting() {
  const actions = useActions();
  const current = useAppState((s) => s.identity?.displayName) ?? '';
  const [name, setName] = useState(current);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  useEffect(() => setName(current), [current]);

  const problem = displayNameProblem(name);
  const changed = name.trim() !== current;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (problem !== null || !changed) return;
    setBusy(true);
    setResult(null);
    try {
      const identity = await actions.setDisplayName(name);
      setResult({ ok: true, message: `Saved. Contacts online now see “${identity.displayName}”; the others when they next connect.` });
    } catch (error) {
      setResult({ ok: false, message: errorMessage(error) });
    }
    setBusy(false);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3" data-testid="display-name-setting">
      <TextField
        label="Display name"
        value={name}
        maxLength={BRIDGE_LIMITS.displayNameChars * 2}
        autoComplete="nickname"
        onChange={(e) => {
          setName(e.target.value);
          setResult(null);
        }}
        data-testid="own-display-name-input"
        error={problem ?? (result !== null && !result.ok ? result.message : null)}
        hint={result?.ok === true ? result.message : 'How your contacts see you, unless they gave you a nickname.'}
      />
      <div>
        <Button type="submit" busy={busy} disabled={problem !== null || !changed} data-testid="own-display-name-save">
          Save name
        </Button>
      </div>
    </form>
  );
}

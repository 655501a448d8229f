import { BRIDGE_LIMITS, signalingUrlProblem } from '@discordopus/protocol/bridge';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { ConnectionIndicator } from '../sidebar/connection-indicator';
import { SettingsSection } from './section';
import { SettingSwitch } from './setting-switch';

/** The problems of a list of URLs (one a line), each named with its line. */
export function signalingUrlsProblem(text: string, allowInsecureRemote = false): { urls: string[]; problem: string | null } {
  const urls = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (urls.length === 0) return { urls, problem: 'Enter at least one server address.' };
  if (urls.length > BRIDGE_LIMITS.signalingUrls) return { urls, problem: `At most ${BRIDGE_LIMITS.signalingUrls} servers.` };
  for (const [index, url] of urls.entries()) {
    const problem = signalingUrlProblem(url, { allowInsecureRemote });
    if (problem !== null) return { urls, problem: urls.length === 1 ? problem : `Line ${index + 1}: ${problem}` };
  }
  return { urls, problem: null };
}

/** UI-02: the signaling server(s); saving applies them by reconnecting. */
export function NetworkSettings() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const current = settings?.signalingUrls.join('\n') ?? '';
  const [text, setText] = useState(current);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();
  useEffect(() => setText(current), [current]);

  const allowInsecure = settings?.allowInsecureRemote === true;
  const { urls, problem } = signalingUrlsProblem(text, allowInsecure);
  const changed = text.trim() !== current.trim();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (problem !== null) return;
    setBusy(true);
    setFailure(null);
    setSaved(false);
    try {
      // The switch goes along: the bridge takes ws:// to another machine only in a call that allows it.
      await actions.updateSettings(allowInsecure ? { signalingUrls: urls, allowInsecureRemote: true } : { signalingUrls: urls });
      setSaved(true);
    } catch (error) {
      setFailure(errorMessage(error));
    }
    setBusy(false);
  }

  return (
    <SettingsSection title="Signaling server" description="The server that tells your contacts you are online and connects you to them. Use one per line; the first that answers is used." testId="network-settings">
      <form onSubmit={submit} noValidate className="flex flex-col gap-3">
        <label htmlFor={id} className="text-xs font-bold uppercase tracking-wide text-muted">
          Server addresses
        </label>
        <textarea
          id={id}
          rows={3}
          spellCheck={false}
          value={text}
          disabled={settings === null}
          onChange={(e) => {
            setText(e.target.value);
            setSaved(false);
          }}
          aria-invalid={problem !== null || undefined}
          aria-describedby={`${id}-message`}
          data-testid="signaling-urls-input"
          className={`w-full rounded border bg-input px-3 py-2 font-mono text-sm text-strong focus:outline-none focus-visible:ring-2 focus-visible:ring-accent ${
            problem !== null ? 'border-danger' : 'border-transparent'
          }`}
        />
        <p id={`${id}-message`} role={problem !== null ? 'alert' : undefined} className={`text-xs ${problem !== null ? 'text-danger' : 'text-muted'}`} data-testid="signaling-urls-message">
          {problem ??
            (saved
              ? 'Saved. Reconnecting with the new server…'
              : allowInsecure
                ? 'wss:// for a server on another machine; ws:// for this computer or one on your local network.'
                : 'wss:// for a server on another machine; ws:// only for this computer.')}
        </p>
        {failure !== null && (
          <p role="alert" className="text-sm text-danger">
            {failure}
          </p>
        )}
        <div className="flex items-center gap-2">
          <Button type="submit" busy={busy} disabled={problem !== null || !changed} data-testid="signaling-urls-save">
            Save and reconnect
          </Button>
          {changed && (
            <Button variant="ghost" onClick={() => setText(current)}>
              Reset
            </Button>
          )}
        </div>
      </form>
      <LocalNetworkSwitch />
      <div className="overflow-hidden rounded-md bg-sidebar">
        <ConnectionIndicator testId="settings-connection-indicator" />
      </div>
    </SettingsSection>
  );
}

/**
 * INFR-04's opt-in, in the window (issue 15 item 13): plain ws:// to a server on the local
 * network, with a plain warning about what that exposes.
 */
function LocalNetworkSwitch() {
  const settings = useAppState((s) => s.settings);
  const actions = useActions();
  const on = settings?.allowInsecureRemote === true;
  return (
    <SettingSwitch
      label="Allow unencrypted servers on the local network (ws://)"
      on={on}
      disabled={settings === null}
      update={(next) => actions.updateSettings({ allowInsecureRemote: next })}
      testId="insecure-remote-setting"
      className="flex flex-col gap-2 rounded-md border border-line p-3"
      switchTestId="insecure-remote-switch"
      explanationTestId="insecure-remote-warning"
      explanationClassName={`text-xs ${on ? 'text-tone-warn' : 'text-muted'}`}
      explanation={
        on
          ? 'On: anyone on your network can see which server you use, when you are online and who your contacts are, and could pass for the server. Messages and calls stay end-to-end encrypted. Use it only on a network you trust, such as your home.'
          : 'Off: servers on other machines need wss://, so nobody on the network can watch or change your connection to them.'
      }
    />
  );
}

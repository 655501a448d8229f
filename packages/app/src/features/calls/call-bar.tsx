import { Activity, Headphones, HeadphoneOff, Mic, MicOff, PhoneOff } from 'lucide-react';
import { useEffect, useState } from 'react';
import { endReasonText, formatCallDuration } from './call-format';
import { CallQualityPanel } from './call-quality-panel';
import type { Ringer } from './ring-tone';
import { useCallView, useRingTone, type CallControlsApi } from './use-call-view';

function SpeakingDot({ on, label, testId }: { on: boolean; label: string; testId: string }) {
  return (
    <span className="inline-flex items-center gap-1 text-xs text-muted" data-testid={testId} data-speaking={on}>
      <span className={`h-2.5 w-2.5 rounded-full ${on ? 'bg-online' : 'bg-input'}`} aria-hidden="true" />
      {label}
      <span className="sr-only">{on ? ' speaking' : ''}</span>
    </span>
  );
}

function Toggle({ on, onClick, labelOn, labelOff, iconOn, iconOff, testId, shortcut }: { on: boolean; onClick: () => void; labelOn: string; labelOff: string; iconOn: React.ReactNode; iconOff: React.ReactNode; testId: string; shortcut?: string }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      aria-label={on ? labelOn : labelOff}
      aria-keyshortcuts={shortcut}
      title={`${on ? labelOn : labelOff}${shortcut === undefined ? '' : ` (${shortcut.replace('Control', 'Ctrl')})`}`}
      onClick={onClick}
      data-testid={testId}
      className={`rounded p-2 hover:bg-hover ${on ? 'text-danger' : 'text-normal'}`}
    >
      {on ? iconOn : iconOff}
    </button>
  );
}

/**
 * Discord's shortcuts while a call is on (VOICE-01): Ctrl+Shift+M mutes or unmutes, Ctrl+Shift+D
 * deafens or undeafens (⌘ instead of Ctrl on a Mac), wherever the focus is in the window.
 */
function useCallShortcuts(engine: CallControlsApi, live: boolean): void {
  useEffect(() => {
    if (!live) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey || e.repeat) return;
      const key = e.key.toLowerCase();
      if (key !== 'm' && key !== 'd') return;
      e.preventDefault();
      if (key === 'm') engine.setMuted(!engine.controls.muted);
      else engine.setDeafened(!engine.controls.deafened);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [engine, live]);
}

/**
 * The call bar (VOICE-01, VOICE-04): "Calling…"/"Ringing…" with ringback, "Connecting…",
 * then the timer, speaking dots, mute, deafen and hang up; "Reconnecting…" while the connection
 * is down; why the call ended. `now` is injected (the app's clock).
 */
export function CallBar({ engine, peerName, ringer, now }: { engine: CallControlsApi; peerName: string; ringer: Ringer; now: () => number }) {
  const view = useCallView(engine);
  const { state } = view;
  useRingTone(ringer, state.phase === 'ringing' && state.direction === 'outgoing' ? 'ringback' : null);
  const [, tick] = useState(0);
  const [qualityShown, setQualityShown] = useState(false);
  useEffect(() => {
    if (state.phase !== 'in-call') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [state.phase]);
  const live = state.phase !== 'idle' && state.phase !== 'ended' && !(state.phase === 'ringing' && state.direction === 'incoming');
  useCallShortcuts(engine, live);

  if (state.phase === 'idle' || (state.phase === 'ringing' && state.direction === 'incoming')) return null;
  let status: string;
  if (state.phase === 'outgoing') status = `Calling ${peerName}…`;
  else if (state.phase === 'ringing') status = `Ringing ${peerName}…`;
  else if (state.phase === 'connecting') status = 'Connecting…';
  else if (state.phase === 'in-call') status = view.connection === 'disconnected' ? 'Reconnecting…' : formatCallDuration(now() - state.connectedAt);
  else status = endReasonText(state.reason, peerName) + (state.durationMs !== null ? ` (${formatCallDuration(state.durationMs)})` : '');
  return (
    <div role="region" aria-label="Voice call" data-testid="call-bar" data-phase={state.phase} className="flex flex-col gap-2 rounded border border-line bg-raised px-3 py-2">
      <div className="flex items-center gap-3">
        <span className="text-sm font-medium text-strong">{peerName}</span>
        <span className="text-sm text-muted" data-testid="call-status" aria-live="polite">
          {status}
        </span>
        {state.phase === 'in-call' && (
          <>
            <SpeakingDot on={view.levels?.localSpeaking === true} label="You" testId="speaking-local" />
            <SpeakingDot on={view.levels?.remoteSpeaking === true} label={peerName} testId="speaking-remote" />
          </>
        )}
        {live && (
          <span className="ml-auto inline-flex items-center gap-1">
            {state.phase === 'in-call' && (
              <Toggle on={qualityShown} onClick={() => setQualityShown(!qualityShown)} labelOn="Hide call quality" labelOff="Show call quality" iconOn={<Activity size={18} aria-hidden="true" />} iconOff={<Activity size={18} aria-hidden="true" />} testId="quality-toggle" />
            )}
            <Toggle on={view.muted} onClick={() => engine.setMuted(!view.muted)} labelOn="Unmute" labelOff="Mute" shortcut="Control+Shift+M" iconOn={<MicOff size={18} aria-hidden="true" />} iconOff={<Mic size={18} aria-hidden="true" />} testId="mute-toggle" />
            <Toggle on={view.deafened} onClick={() => engine.setDeafened(!view.deafened)} labelOn="Undeafen" labelOff="Deafen" shortcut="Control+Shift+D" iconOn={<HeadphoneOff size={18} aria-hidden="true" />} iconOff={<Headphones size={18} aria-hidden="true" />} testId="deafen-toggle" />
            <button type="button" aria-label="Hang up" title="Hang up" onClick={() => engine.hangup()} data-testid="hangup" className="rounded bg-danger p-2 text-white hover:bg-danger-hover">
              <PhoneOff size={18} aria-hidden="true" />
            </button>
          </span>
        )}
      </div>
      {/* VOICE-03: round trip, jitter, loss, bitrates, codec and Direct/Relayed, refreshed every second. */}
      {qualityShown && <CallQualityPanel engine={engine} />}
    </div>
  );
}

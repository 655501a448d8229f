import type { ConnectionInfo } from '@discordopus/protocol/bridge';
import { RefreshCw, TriangleAlert, Wifi, WifiOff } from 'lucide-react';
import { useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useNow } from '../../lib/use-now';
import { useActions, useAppState } from '../../store/app-context';

function serverHost(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** Seconds until the next attempt, never negative. */
export function secondsUntil(nextRetryAt: number | null, now: number): number | null {
  if (nextRetryAt === null) return null;
  return Math.max(0, Math.ceil((nextRetryAt - now) / 1000));
}

function describe(connection: ConnectionInfo, now: number): { title: string; detail: string | null; tone: 'good' | 'busy' | 'bad' } {
  const host = serverHost(connection.serverUrl);
  switch (connection.state) {
    case 'connected':
      return { title: 'Connected', detail: host, tone: 'good' };
    case 'connecting':
      return { title: 'Connecting…', detail: host, tone: 'busy' };
    case 'authenticating':
      return { title: 'Signing in…', detail: host, tone: 'busy' };
    case 'backing-off': {
      const seconds = secondsUntil(connection.nextRetryAt, now);
      return {
        title: seconds === null ? 'Reconnecting soon' : seconds === 0 ? 'Reconnecting…' : `Reconnecting in ${seconds} s`,
        detail: connection.reason,
        tone: 'busy',
      };
    }
    case 'failed':
      return { title: 'Connection failed', detail: connection.reason ?? 'The server refused the connection.', tone: 'bad' };
    case 'disconnected':
      return { title: 'Offline', detail: connection.reason, tone: 'bad' };
    default: {
      const never: never = connection.state;
      return never;
    }
  }
}

const TONES = { good: 'text-tone-good', busy: 'text-tone-warn', bad: 'text-tone-bad' } as const;

/** UI-01: the state of the signaling connection, with a countdown and "Retry now" while down. */
export function ConnectionIndicator({ testId = 'connection-indicator' }: { testId?: string }) {
  const connection = useAppState((s) => s.connection);
  const note = useAppState((s) => s.settings?.signalingNote ?? null);
  const actions = useActions();
  const [retryError, setRetryError] = useState<string | null>(null);
  const now = useNow(1000, connection?.state === 'backing-off');
  if (connection === null) {
    return (
      <div data-testid={testId} data-state="loading" className="px-3 py-2 text-xs text-muted">
        Checking connection…
      </div>
    );
  }
  const { title, detail, tone } = describe(connection, now);
  const canRetry = connection.state === 'backing-off' || connection.state === 'failed' || connection.state === 'disconnected';
  const Icon = tone === 'good' ? Wifi : WifiOff;
  return (
    <div className="border-t border-line">
    {note !== null && (
      <p data-testid="signaling-note" className="flex gap-1.5 px-3 pt-2 text-[11px] leading-snug text-tone-warn">
        <TriangleAlert size={12} className="mt-0.5 shrink-0" aria-hidden="true" />
        <span>{note}</span>
      </p>
    )}
    <div
      data-testid={testId}
      data-state={connection.state}
      role="status"
      aria-live="polite"
      className="flex items-center gap-2 px-3 py-2"
    >
      <Icon size={16} className={`shrink-0 ${TONES[tone]}`} aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <p className={`text-xs font-semibold ${TONES[tone]}`} data-testid="connection-title">
          {title}
        </p>
        {(retryError ?? detail) !== null && (
          // The whole reason, wrapped: a cut-off "Could not connect to the serv…" explains nothing (issue 15 item 9).
          <p className="break-words text-[11px] leading-snug text-muted" data-testid="connection-detail">
            {retryError ?? detail}
          </p>
        )}
      </div>
      {canRetry && (
        <button
          type="button"
          data-testid="connection-retry"
          onClick={() => {
            setRetryError(null);
            actions.retryConnection().catch((error: unknown) => setRetryError(errorMessage(error)));
          }}
          className="flex shrink-0 items-center gap-1 rounded px-2 py-1 text-[11px] font-medium text-normal hover:bg-hover"
        >
          <RefreshCw size={12} aria-hidden="true" />
          Retry now
        </button>
      )}
    </div>
    </div>
  );
}

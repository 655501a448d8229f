import { PlugZap } from 'lucide-react';
import { FullScreenMessage } from './components/ui/full-screen-message';
import { useEffect } from 'react';
import { FirstRunScreen } from './features/onboarding/first-run-screen';
import { UnlockScreen } from './features/onboarding/unlock-screen';
import { MainScreen } from './features/main-screen';
import { applyTheme, rememberTheme, rememberedTheme } from './lib/theme';
import { useActions, useAppState } from './store/app-context';

/** Follows the profile's theme setting (and the system's, for "system"). */
function useTheme(): void {
  const theme = useAppState((s) => s.settings?.theme ?? null);
  useEffect(() => {
    const chosen = theme ?? rememberedTheme();
    applyTheme(chosen);
    if (theme !== null) rememberTheme(theme);
    if (chosen !== 'system' || typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia('(prefers-color-scheme: light)');
    const follow = () => applyTheme('system');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [theme]);
}

/** The window title names the identity, so two windows side by side are told apart. */
function useWindowTitle(): void {
  const name = useAppState((s) => s.identity?.displayName ?? null);
  useEffect(() => {
    document.title = name === null ? 'DiscordOpus' : `${name} — DiscordOpus`;
  }, [name]);
}

/** Chooses the screen: loading, first run, unlock or main; says so when the core is gone. */
export function App() {
  useTheme();
  useWindowTitle();
  const bridgeStatus = useAppState((s) => s.bridgeStatus);
  const session = useAppState((s) => s.session);
  const loadError = useAppState((s) => s.loadError);
  const actions = useActions();

  if (bridgeStatus === 'closed') {
    return (
      <FullScreenMessage title="DiscordOpus has stopped" testId="bridge-closed">
        <PlugZap size={40} className="text-muted" aria-hidden="true" />
        <p className="max-w-sm text-sm text-muted">This window lost its connection to DiscordOpus. Start DiscordOpus again to continue.</p>
        <button type="button" onClick={() => window.location.reload()} className="rounded bg-accent px-4 py-2 text-sm font-medium text-white hover:bg-accent-hover">
          Reload
        </button>
      </FullScreenMessage>
    );
  }
  if (session === null) {
    return (
      <FullScreenMessage title={loadError === null ? 'Starting DiscordOpus…' : 'DiscordOpus could not start'} testId="loading-screen">
        {loadError === null ? (
          <span className="h-8 w-8 animate-spin rounded-full border-4 border-accent border-t-transparent" aria-hidden="true" />
        ) : (
          <>
            <p role="alert" className="text-sm text-danger">
              {loadError}
            </p>
            <button type="button" onClick={() => void actions.reload()} className="rounded bg-accent px-4 py-2 text-sm font-medium text-white">
              Try again
            </button>
          </>
        )}
      </FullScreenMessage>
    );
  }
  switch (session.state) {
    case 'no-profile':
      return <FirstRunScreen />;
    case 'locked':
      return <UnlockScreen />;
    case 'unlocked':
      return <MainScreen />;
    default: {
      const never: never = session.state;
      return never;
    }
  }
}

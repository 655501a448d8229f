import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { FullScreenMessage } from './components/ui/full-screen-message';
import { createAppActions } from './bridge/app-actions';
import { BridgeClient } from './bridge/bridge-client';
import { syncBridgeToStore } from './bridge/bridge-sync';
import { readLaunchParams } from './bridge/launch-params';
import { websocketConnector } from './bridge/websocket-connector';
import { applyTheme, rememberedTheme } from './lib/theme';
import { AppProvider } from './store/app-context';
import { createAppStore } from './store/app-store';
import './styles.css';

/** The composition root of the window: one bridge, one store, one set of actions. */
function start(): void {
  applyTheme(rememberedTheme());
  const root = createRoot(document.getElementById('root') as HTMLElement);
  const params = readLaunchParams({
    location: window.location,
    sessionStorage: window.sessionStorage,
    replaceUrl: (url) => window.history.replaceState(null, '', url),
  });
  if (params === null) {
    root.render(
      <FullScreenMessage title="Open DiscordOpus from its launcher" testId="no-launch-params">
        <p className="max-w-sm text-sm text-muted">This page needs the address the DiscordOpus launcher prints (it carries a one-time key). Run npm start.</p>
      </FullScreenMessage>,
    );
    return;
  }
  const bridge = new BridgeClient({
    connect: websocketConnector(params.bridgeUrl, params.token),
    logger: { debug: () => {}, warn: (message) => console.warn(message) },
  });
  const store = createAppStore();
  const actions = createAppActions(bridge, store);
  syncBridgeToStore(bridge, store);
  bridge.start();
  root.render(
    <StrictMode>
      <AppProvider store={store} actions={actions}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
}

start();

import { DiscordOpusError } from '@discordopus/protocol';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { FullScreenMessage } from './components/ui/full-screen-message';
import { createAppActions } from './bridge/app-actions';
import { BridgeClient } from './bridge/bridge-client';
import { syncBridgeToStore } from './bridge/bridge-sync';
import { readLaunchParams } from './bridge/launch-params';
import { obtainBridgeSecret } from './bridge/launch-session';
import { websocketConnector } from './bridge/websocket-connector';
import { browserNotifications, createDesktopNotifier } from './lib/desktop-notifier';
import { applyTheme, rememberedTheme } from './lib/theme';
import { AppProvider } from './store/app-context';
import { CallController, hangUpWhenWindowCloses } from './features/calls/call-controller';
import { CallsProvider } from './features/calls/call-layer';
import { notifyIncomingCalls } from './features/calls/call-notifier';
import { createRinger } from './features/calls/ring-tone';
import { createAppStore } from './store/app-store';
import './styles.css';

/** The composition root of the window: one bridge, one store, one set of actions. */
async function start(): Promise<void> {
  applyTheme(rememberedTheme());
  const root = createRoot(document.getElementById('root') as HTMLElement);
  const env = {
    location: window.location,
    sessionStorage: window.sessionStorage,
    replaceUrl: (url: string) => window.history.replaceState(null, '', url),
  };
  const params = readLaunchParams(env);
  if (params === null) {
    root.render(
      <FullScreenMessage title="Open DiscordOpus from its launcher" testId="no-launch-params">
        <p className="max-w-sm text-sm text-muted">This page needs the address the DiscordOpus launcher prints (it carries a one-time code). Run npm start.</p>
      </FullScreenMessage>,
    );
    return;
  }
  let secret: string;
  try {
    secret = await obtainBridgeSecret(params, env, (url, init) => window.fetch(url, init));
  } catch (error) {
    const known = DiscordOpusError.from(error);
    root.render(
      <FullScreenMessage title="This window cannot reach DiscordOpus" testId="launch-refused">
        <p className="max-w-sm text-sm text-muted" data-code={known.code}>
          {known.message}
        </p>
      </FullScreenMessage>,
    );
    return;
  }
  const bridge = new BridgeClient({
    connect: websocketConnector(params.bridgeUrl, secret),
    logger: { debug: () => {}, warn: (message) => console.warn(message) },
  });
  const store = createAppStore();
  const actions = createAppActions(bridge, store);
  // MSG-04: desktop notifications for messages while the window is not focused.
  const notifier = createDesktopNotifier({
    store,
    api: browserNotifications(),
    attended: () => document.visibilityState !== 'hidden' && document.hasFocus(),
    focusWindow: () => window.focus(),
    storage: window.localStorage,
  });
  store.subscribe((state) => {
    if (state.session?.state === 'unlocked') notifier.askOnce();
  });
  syncBridgeToStore(bridge, store, {
    onIncomingMessage: (publicKey, message) => notifier.incoming(publicKey, message),
    onIncomingFile: (transfer, autoAccepted) => notifier.incomingFile(transfer, autoAccepted),
  });
  // VOICE-01, VOICE-02: the window's one call engine, its frames through the core to the contact's link.
  // ICE servers and relay-only: the links' configuration, asked of the core before each call and invite (calls.ice).
  const calls = new CallController({ bridge });
  hangUpWhenWindowCloses(calls, window);
  const attended = () => document.visibilityState !== 'hidden' && document.hasFocus();
  notifyIncomingCalls({ controller: calls, store, api: browserNotifications(), attended, focusWindow: () => window.focus() });
  bridge.start();
  root.render(
    <StrictMode>
      <AppProvider store={store} actions={actions}>
        <CallsProvider controller={calls} ringer={createRinger()} now={Date.now} attended={attended}>
          <App />
        </CallsProvider>
      </AppProvider>
    </StrictMode>,
  );
}

void start();

import { createRoot, type Root } from 'react-dom/client';
import { CallBar } from '../call-bar';
import { CallButton } from '../call-button';
import { CallQualityPanel } from '../call-quality-panel';
import { IncomingCallDialog } from '../incoming-call-dialog';
import { createRinger, type Ringer } from '../ring-tone';

/**
 * The call UI components mounted around the page's CallEngine (Chromium tests: a person's clicks
 * on the real components, real WebAudio ring). Bundled with the harness; never in the app.
 */

declare global {
  interface Window {
    callUi: { mount(peerName: string): void; ringing(): string | null };
  }
}

let root: Root | null = null;
let ringer: Ringer | null = null;

window.callUi = {
  mount(peerName) {
    const engine = window.callHarness.engine;
    if (engine === null) throw new Error('callHarness.init() first');
    root?.unmount();
    ringer?.stop();
    const host = document.createElement('div');
    document.body.append(host);
    const r = createRinger();
    ringer = r;
    root = createRoot(host);
    root.render(
      <>
        <CallButton engine={engine} contactName={peerName} reachable />
        <IncomingCallDialog engine={engine} callerName={peerName} ringer={r} />
        <CallBar engine={engine} peerName={peerName} ringer={r} now={() => Date.now()} />
        <CallQualityPanel engine={engine} />
      </>,
    );
  },
  ringing: () => ringer?.playing ?? null,
};

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { contactName } from '../../lib/contact-display';
import { useAppState } from '../../store/app-context';
import { CallBar } from './call-bar';
import { CallButton } from './call-button';
import type { CallController } from './call-controller';
import { CallNotice } from './call-notice';
import { IncomingCallDialog } from './incoming-call-dialog';
import type { Ringer } from './ring-tone';
import type { VoiceDevices } from './voice-settings-tab';

interface CallsContextValue {
  controller: CallController;
  ringer: Ringer;
  now: () => number;
  /** Whether the window has the user's attention (focused and visible): seen missed calls are cleared only then. */
  attended?: () => boolean;
  /** Settings → Voice's devices and microphone meter (default: the browser's). */
  devices?: VoiceDevices;
}

const CallsContext = createContext<CallsContextValue | null>(null);

/** Hands the window's call controller to the tree (main.tsx; tests make their own). Without it, no call UI shows. */
export function CallsProvider({ children, ...value }: CallsContextValue & { children: ReactNode }) {
  return <CallsContext.Provider value={value}>{children}</CallsContext.Provider>;
}

/** The window's calls, or null where the tree has no call controller (tests of other features). */
export function useCalls(): CallsContextValue | null {
  return useContext(CallsContext);
}

function useContactName(publicKey: string | null): string {
  return useAppState((s) => {
    const contact = s.contacts?.find((c) => c.publicKey === publicKey);
    return contact === undefined ? 'Someone' : contactName(contact);
  });
}

/** VOICE-01: the call button of a conversation header (nothing without a call controller). */
export function HeaderCallButton({ publicKey, reachable }: { publicKey: string; reachable: boolean }) {
  const calls = useContext(CallsContext);
  const name = useContactName(publicKey);
  if (calls === null) return null;
  return <CallButton engine={calls.controller.forContact(publicKey)} contactName={name} reachable={reachable} />;
}

/** VOICE-01: the incoming-call dialog and the call bar, for whichever contact the call is with. */
export function CallLayer() {
  const calls = useContext(CallsContext);
  const [peer, setPeer] = useState<string | null>(calls?.controller.peer ?? null);
  useEffect(() => {
    if (calls === null) return;
    const sync = () => setPeer(calls.controller.peer);
    const offs = [calls.controller.engine.on('stateChanged', sync)];
    return () => offs.forEach((off) => off());
  }, [calls]);
  const name = useContactName(peer);
  if (calls === null) return null;
  const api = peer === null ? null : calls.controller.forContact(peer);
  return (
    <>
      <CallNotice controller={calls.controller} />
      {api !== null && (
        <>
          <IncomingCallDialog engine={api} callerName={name} ringer={calls.ringer} />
          <div className="px-4 pt-2 empty:hidden">
            <CallBar engine={api} peerName={name} ringer={calls.ringer} now={calls.now} />
          </div>
        </>
      )}
    </>
  );
}

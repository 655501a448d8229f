import type { ClientCore } from '@discordopus/core';
import type { BridgeEventName, BridgeEventPayload, BridgeHandlers, callCalls } from '@discordopus/protocol/bridge';

type CallMethod = keyof typeof callCalls;
type Emit = <E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>) => void;

/**
 * The bridge's voice-call calls on the open profile's client core (VOICE-02): the app's call
 * engine sends its frames through the core to the contact's direct link. The core's
 * CallWireError codes (CALL_NO_LINK, CALL_NOT_CONTACT, CALL_NOT_SENT, …) pass through.
 */
export function callHandlers(core: () => ClientCore): Pick<BridgeHandlers, CallMethod> {
  return {
    'calls.send': async ({ publicKey, frame }) => {
      core().sendCallFrame(publicKey, frame);
      return null;
    },
    'calls.ice': async () => {
      const { iceServers, iceTransportPolicy } = core().iceConfiguration;
      return { iceServers: iceServers.map((s) => ({ ...s, urls: [...s.urls] })), relayOnly: iceTransportPolicy === 'relay' };
    },
  };
}

/** The core's call frames from contacts' links as bridge events; answers the unsubscribers. */
export function forwardCallEvents(core: ClientCore, emit: Emit): (() => void)[] {
  return [core.on('callFrame', ({ peer, frame }) => emit('calls.frame', { publicKey: peer, frame }))];
}

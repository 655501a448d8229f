import { dispatchBridgeCall, encodeEventFrame, parseBridgeJson } from '@discordopus/protocol/bridge';
import type { BridgeConnector } from '../bridge/bridge-transport';
import type { FakeCore } from './fake-core';

/**
 * A transport to a FakeCore that goes through the same contract as the real bridge server:
 * every call frame is validated by dispatchBridgeCall, every event by encodeEventFrame, and
 * everything crosses as JSON text. Delivery is asynchronous (a microtask), like a socket.
 */
export function inMemoryConnector(core: FakeCore): BridgeConnector {
  return (listeners) => {
    let open = true;
    const deliver = (text: string) => {
      queueMicrotask(() => {
        if (open) listeners.onMessage(text);
      });
    };
    const unsubscribe = core.onEvent((event, payload) => deliver(encodeEventFrame(event, payload)));
    queueMicrotask(() => {
      if (open) listeners.onOpen();
    });
    return {
      send(text) {
        const json = parseBridgeJson(text);
        void dispatchBridgeCall(core.handlers, json.ok ? json.value : text).then((result) => deliver(JSON.stringify(result)));
      },
      close() {
        if (!open) return;
        open = false;
        unsubscribe();
        listeners.onClose();
      },
    };
  };
}

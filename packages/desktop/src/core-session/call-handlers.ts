import { CallLogError, CallWireError, type ClientCore, type Vault } from '@discordopus/core';
import { CALL_LOG_LIMITS } from '@discordopus/protocol/calls';
import type { BridgeHandlers, callCalls, BridgeEmit } from '@discordopus/protocol/bridge';

type CallMethod = keyof typeof callCalls;

/**
 * The bridge's voice-call calls on the open profile (VOICE-02, VOICE-04): the app's call engine
 * sends its frames through the core to the contact's direct link (the core's CallWireError codes,
 * CALL_NO_LINK, CALL_NOT_CONTACT, CALL_NOT_SENT, …, pass through), and records the calls that
 * ended in the vault's call log (`calls.logged` / `calls.missedChanged` go to every window).
 */
export function callHandlers(open: () => { core: ClientCore; vault: Vault }, emit: BridgeEmit, now: () => number = Date.now): Pick<BridgeHandlers, CallMethod> {
  const contactLog = (publicKey: string) => {
    const { vault } = open();
    if (vault.contacts.get(publicKey) === null) throw CallWireError.notContact();
    return vault.callLog;
  };
  const missedOf = (vault: Vault, publicKey: string) => vault.callLog.unseenMissed().find((m) => m.peer === publicKey)?.count ?? 0;
  return {
    'calls.send': async ({ publicKey, frame }) => {
      open().core.sendCallFrame(publicKey, frame);
      // Every window rang for the invite: once one answers, the others stop (a busy refusal is not an answer).
      if (frame.type === 'call.accept') emit('calls.answered', { publicKey, callId: frame.callId, answer: 'accepted' });
      if (frame.type === 'call.decline' && frame.reason === 'declined') emit('calls.answered', { publicKey, callId: frame.callId, answer: 'declined' });
      return null;
    },
    'calls.ice': async () => {
      const { iceServers, iceTransportPolicy } = open().core.iceConfiguration;
      return { iceServers: iceServers.map((s) => ({ ...s, urls: [...s.urls] })), relayOnly: iceTransportPolicy === 'relay' };
    },
    'calls.record': async ({ publicKey, entry }) => {
      // A far-future start would never be pruned (the newest are kept) and shows nowhere sensible.
      if (entry.startedAt > now() + CALL_LOG_LIMITS.maxFutureMs) throw CallLogError.future();
      const { entry: stored, added, previous } = contactLog(publicKey).record(publicKey, entry);
      if (added) {
        // Also when another window's better outcome replaced the entry: every window shows the new one.
        emit('calls.logged', { publicKey, entry: stored });
        if (!stored.seen || previous?.seen === false) emit('calls.missedChanged', { publicKey, count: missedOf(open().vault, publicKey) });
      }
      return stored;
    },
    'calls.log': async ({ publicKey }) => ({ entries: contactLog(publicKey).list(publicKey) }),
    // Only current contacts: a removed contact's rows stay (as its messages do) but no badge counts them (review finding 9).
    'calls.missed': async () => {
      const { vault } = open();
      return { missed: vault.callLog.unseenMissed().filter(({ peer }) => vault.contacts.get(peer) !== null).map(({ peer, count }) => ({ publicKey: peer, count })) };
    },
    'calls.markSeen': async ({ publicKey }) => {
      if (contactLog(publicKey).markSeen(publicKey) > 0) emit('calls.missedChanged', { publicKey, count: 0 });
      return null;
    },
  };
}

/** The core's call frames from contacts' links as bridge events; answers the unsubscribers. */
export function forwardCallEvents(core: ClientCore, emit: BridgeEmit): (() => void)[] {
  return [core.on('callFrame', ({ peer, frame }) => emit('calls.frame', { publicKey: peer, frame }))];
}

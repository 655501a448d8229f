import { DiscordOpusError } from '@discordopus/protocol';
import type { BridgeEventName, BridgeEventPayload, BridgeHandlers, CallFrameForBridge, Contact } from '@discordopus/protocol/bridge';

type Emit = <E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>) => void;

export interface FakeCallsOptions {
  contacts: () => readonly Contact[];
  emit: Emit;
  /** Throws VAULT_CLOSED while locked, as every call of the fake does. */
  guard: (method: string) => void;
  relayOnly: () => boolean;
}

const VISIBLE = new Set(['online', 'away', 'busy']);

/**
 * The fake core's voice-call wiring (VOICE-02), with the real core's rules: frames only to
 * contacts; an invite only to a contact who is online (CALL_NO_LINK otherwise). What the app
 * sent is recorded; `receive()` plays a contact's frame arriving over the link.
 */
export class FakeCalls {
  readonly #o: FakeCallsOptions;
  /** Every frame the app handed over, in order. */
  readonly sent: CallFrameForBridge[] = [];

  constructor(options: FakeCallsOptions) {
    this.#o = options;
  }

  readonly handlers: Pick<BridgeHandlers, 'calls.send' | 'calls.ice'> = {
    'calls.ice': async () => {
      this.#o.guard('calls.ice');
      return { iceServers: [], relayOnly: this.#o.relayOnly() };
    },
    'calls.send': async ({ publicKey, frame }) => {
      this.#o.guard('calls.send');
      const contact = this.#o.contacts().find((c) => c.publicKey === publicKey);
      if (contact === undefined) throw new DiscordOpusError('CALL_NOT_CONTACT', 'Calls go only to contacts.');
      if (frame.type === 'call.invite' && !VISIBLE.has(contact.onlineStatus)) {
        throw new DiscordOpusError('CALL_NO_LINK', 'No direct link to this contact (NOT_MUTUAL_ONLINE): the contact is not online.');
      }
      this.sent.push({ publicKey, frame });
      return null;
    },
  };

  /** A contact's call frame arrives over the link. */
  receive(e: CallFrameForBridge): void {
    this.#o.emit('calls.frame', e);
  }
}

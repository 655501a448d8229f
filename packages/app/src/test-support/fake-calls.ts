import { DiscordOpusError } from '@discordopus/protocol';
import type { BridgeHandlers, CallFrameForBridge, Contact, BridgeEmit } from '@discordopus/protocol/bridge';
import { CALL_LOG_LIMITS, CALL_OUTCOME_RANK, type StoredCallLogEntry } from '@discordopus/protocol/calls';


export interface FakeCallsOptions {
  contacts: () => readonly Contact[];
  emit: BridgeEmit;
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
  /** VOICE-04: the call log by contact (oldest first), kept across `restarted()` as the vault keeps it. */
  #log = new Map<string, StoredCallLogEntry[]>();

  constructor(options: FakeCallsOptions) {
    this.#o = options;
  }

  #contactLog(publicKey: string): StoredCallLogEntry[] {
    if (!this.#o.contacts().some((c) => c.publicKey === publicKey)) throw new DiscordOpusError('CALL_NOT_CONTACT', 'Calls go only to contacts.');
    let log = this.#log.get(publicKey);
    if (log === undefined) this.#log.set(publicKey, (log = []));
    return log;
  }

  #missed(publicKey: string): number {
    return (this.#log.get(publicKey) ?? []).filter((e) => !e.seen).length;
  }

  /** The same log after a restart. */
  restoreFrom(other: FakeCalls): void {
    this.#log = new Map([...other.#log].map(([k, v]) => [k, v.map((e) => ({ ...e }))]));
  }

  readonly handlers: Pick<BridgeHandlers, 'calls.send' | 'calls.ice' | 'calls.record' | 'calls.log' | 'calls.missed' | 'calls.markSeen'> = {
    'calls.record': async ({ publicKey, entry }) => {
      this.#o.guard('calls.record');
      const log = this.#contactLog(publicKey);
      if (entry.startedAt > Date.now() + CALL_LOG_LIMITS.maxFutureMs) {
        throw new DiscordOpusError('CALL_LOG_FUTURE', 'A call cannot start more than a day in the future; check the computer\'s clock.');
      }
      const known = log.find((e) => e.callId === entry.callId);
      if (known !== undefined) {
        // Another window's better outcome replaces the entry, as the real store does (CALL_OUTCOME_RANK).
        if (known.direction !== entry.direction || CALL_OUTCOME_RANK[entry.outcome] <= CALL_OUTCOME_RANK[known.outcome]) return { ...known };
        const wasUnseen = !known.seen;
        Object.assign(known, entry, { seen: true });
        this.#o.emit('calls.logged', { publicKey, entry: { ...known } });
        if (wasUnseen) this.#o.emit('calls.missedChanged', { publicKey, count: this.#missed(publicKey) });
        return { ...known };
      }
      const stored: StoredCallLogEntry = { ...entry, seen: entry.outcome !== 'missed' };
      log.push(stored);
      log.sort((a, b) => a.startedAt - b.startedAt);
      log.splice(0, Math.max(0, log.length - CALL_LOG_LIMITS.maxEntriesPerContact));
      this.#o.emit('calls.logged', { publicKey, entry: { ...stored } });
      if (!stored.seen) this.#o.emit('calls.missedChanged', { publicKey, count: this.#missed(publicKey) });
      return { ...stored };
    },
    'calls.log': async ({ publicKey }) => {
      this.#o.guard('calls.log');
      return { entries: this.#contactLog(publicKey).slice(-CALL_LOG_LIMITS.pageEntries).map((e) => ({ ...e })) };
    },
    'calls.missed': async () => {
      this.#o.guard('calls.missed');
      const contacts = new Set(this.#o.contacts().map((c) => c.publicKey));
      return { missed: [...this.#log.keys()].filter((k) => contacts.has(k)).map((publicKey) => ({ publicKey, count: this.#missed(publicKey) })).filter((m) => m.count > 0) };
    },
    'calls.markSeen': async ({ publicKey }) => {
      this.#o.guard('calls.markSeen');
      const log = this.#contactLog(publicKey);
      if (log.some((e) => !e.seen)) {
        for (const e of log) e.seen = true;
        this.#o.emit('calls.missedChanged', { publicKey, count: 0 });
      }
      return null;
    },
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
      if (frame.type === 'call.accept') this.#o.emit('calls.answered', { publicKey, callId: frame.callId, answer: 'accepted' });
      if (frame.type === 'call.decline' && frame.reason === 'declined') this.#o.emit('calls.answered', { publicKey, callId: frame.callId, answer: 'declined' });
      return null;
    },
  };

  /** A contact's call frame arrives over the link. */
  receive(e: CallFrameForBridge): void {
    this.#o.emit('calls.frame', e);
  }
}

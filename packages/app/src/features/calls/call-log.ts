import type { BridgeEventName, BridgeEventPayload, BridgeMethod, BridgeParamsInput, BridgeResult } from '@discordopus/protocol/bridge';
import type { CallLogEntry, CallOutcome, StoredCallLogEntry } from '@discordopus/protocol/calls';
import type { CallDirection, CallEndReason } from './call-types';
import { TypedEmitter } from './typed-emitter';

/** What the call log uses of the bridge (the app's BridgeClient). */
export interface CallLogBridge {
  call<M extends BridgeMethod>(method: M, params: BridgeParamsInput<M>): Promise<BridgeResult<M>>;
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEventPayload<E>) => void): () => void;
}

export type CallLogEvents = {
  [event: string]: (payload: never) => void;
  /** One contact's entries or missed count changed (null: everything was reset). */
  changed: (e: { publicKey: string | null }) => void;
};

/**
 * How a call that ended is kept in the log (VOICE-04, PROTOCOL.md §9.6): what this side saw, from
 * the engine's end reason. Anything that never connected for a reason other than the listed ones
 * is `failed`.
 */
export function callOutcome(direction: CallDirection, reason: CallEndReason, durationMs: number | null): CallOutcome {
  if (durationMs !== null) return 'completed';
  if (reason === 'declined') return 'declined';
  if (direction === 'incoming') return reason === 'missed' ? 'missed' : 'failed';
  if (reason === 'no-answer' || reason === 'busy') return reason;
  return reason === 'hangup' ? 'cancelled' : 'failed';
}

/**
 * `list` with `more` added, in the order the calls started; an entry of `more` (announced later)
 * replaces the one with its callId (another window recorded a better outcome).
 */
function merged(list: readonly StoredCallLogEntry[], more: readonly StoredCallLogEntry[]): StoredCallLogEntry[] {
  const newer = new Map(more.map((e) => [e.callId, e]));
  return [...list.filter((e) => !newer.has(e.callId)), ...newer.values()].sort((a, b) => a.startedAt - b.startedAt);
}

/**
 * The window's view of the vault's call log (VOICE-04): one contact's entries, loaded when a
 * conversation first asks, and the unseen missed calls per contact, both kept current from the
 * core's `calls.logged` / `calls.missedChanged` events. A lock or unlock starts over.
 */
export class CallLog extends TypedEmitter<CallLogEvents> {
  readonly #bridge: CallLogBridge;
  readonly #entries = new Map<string, StoredCallLogEntry[]>();
  /** Contacts whose log is being loaded, with the entries announced meanwhile (the answer may predate them). */
  readonly #loading = new Map<string, StoredCallLogEntry[]>();
  #missed: Map<string, number> | null = null;
  /** Counts announced while the counts load (newer than the answer may be). */
  readonly #missedMeanwhile = new Map<string, number>();
  #missedLoading = false;
  /** Bumped on every reset: answers to an older generation's loads are dropped. */
  #generation = 0;
  readonly #off: (() => void)[];

  constructor(bridge: CallLogBridge) {
    super();
    this.#bridge = bridge;
    this.#off = [
      bridge.on('calls.logged', ({ publicKey, entry }) => {
        this.#loading.get(publicKey)?.push(entry);
        const list = this.#entries.get(publicKey);
        if (list === undefined) return;
        this.#entries.set(publicKey, merged(list, [entry]));
        this.emit('changed', { publicKey });
      }),
      bridge.on('calls.missedChanged', ({ publicKey, count }) => {
        if (this.#missed !== null) this.#missed.set(publicKey, count);
        else if (this.#missedLoading) this.#missedMeanwhile.set(publicKey, count);
        const list = this.#entries.get(publicKey);
        if (count === 0 && list !== undefined) this.#entries.set(publicKey, list.map((e) => (e.seen ? e : { ...e, seen: true })));
        this.emit('changed', { publicKey });
      }),
      bridge.on('session.changed', () => this.reset()),
    ];
  }

  /** The contact's entries, oldest first; null until loaded (the first ask starts the load). */
  entries(publicKey: string): readonly StoredCallLogEntry[] | null {
    const known = this.#entries.get(publicKey);
    if (known !== undefined) return known;
    if (!this.#loading.has(publicKey)) {
      this.#loading.set(publicKey, []);
      const generation = this.#generation;
      this.#bridge.call('calls.log', { publicKey }).then(
        ({ entries }) => {
          if (generation !== this.#generation) return;
          this.#entries.set(publicKey, merged(entries, this.#loading.get(publicKey) ?? []));
          this.#loading.delete(publicKey);
          this.emit('changed', { publicKey });
        },
        () => {
          // Not a contact any more, or locked: nothing to show (asked again after a reset).
          if (generation === this.#generation) this.#entries.set(publicKey, []);
        },
      );
    }
    return null;
  }

  /** Unseen missed calls with the contact (0 until loaded; the first ask loads every contact's). */
  missed(publicKey: string): number {
    if (this.#missed === null && !this.#missedLoading) {
      this.#missedLoading = true;
      const generation = this.#generation;
      this.#bridge.call('calls.missed', {}).then(
        ({ missed }) => {
          if (generation !== this.#generation) return;
          this.#missedLoading = false;
          this.#missed = new Map([...missed.map((m): [string, number] => [m.publicKey, m.count]), ...this.#missedMeanwhile]);
          this.#missedMeanwhile.clear();
          for (const key of this.#missed.keys()) this.emit('changed', { publicKey: key });
        },
        () => {
          if (generation === this.#generation) this.#missedLoading = false;
        },
      );
    }
    return this.#missed?.get(publicKey) ?? 0;
  }

  /** Records a call that ended; the core announces it back (`calls.logged`) to every window. */
  async record(publicKey: string, entry: CallLogEntry): Promise<void> {
    await this.#bridge.call('calls.record', { publicKey, entry });
  }

  /** The user has seen the contact's missed calls. */
  async markSeen(publicKey: string): Promise<void> {
    if ((this.#missed?.get(publicKey) ?? 0) === 0 && !(this.#entries.get(publicKey)?.some((e) => !e.seen) ?? false)) return;
    await this.#bridge.call('calls.markSeen', { publicKey });
  }

  reset(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#loading.clear();
    this.#missed = null;
    this.#missedLoading = false;
    this.#missedMeanwhile.clear();
    this.emit('changed', { publicKey: null });
  }

  close(): void {
    for (const off of this.#off.splice(0)) off();
  }
}

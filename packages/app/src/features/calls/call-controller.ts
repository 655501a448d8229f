import { DiscordOpusError } from '@discordopus/protocol';
import type { BridgeEventPayload, BridgeMethod, BridgeParamsInput, BridgeResult } from '@discordopus/protocol/bridge';
import type { CallFrame } from '@discordopus/protocol/calls';
import { CallEngine } from './call-engine';
import type { CallEndReason, CallEngineOptions, CallState } from './call-types';
import { TypedEmitter } from './typed-emitter';
import type { CallControlsApi } from './use-call-view';

/** What the controller uses of the bridge (the app's BridgeClient). */
export interface CallBridge {
  call<M extends BridgeMethod>(method: M, params: BridgeParamsInput<M>): Promise<BridgeResult<M>>;
  on(event: 'calls.frame', listener: (payload: BridgeEventPayload<'calls.frame'>) => void): () => void;
}

/** One finished call, as the conversation shows it ("Missed call", "Call, 4 min 12 s"). */
export interface CallEntry {
  callId: string;
  publicKey: string;
  direction: 'outgoing' | 'incoming';
  reason: CallEndReason;
  /** Connected time, or null when the call never connected. */
  durationMs: number | null;
  endedAt: number;
}

export type CallControllerEvents = {
  [event: string]: (payload: never) => void;
  /** Someone is calling (the window rings; a desktop notification when not focused). */
  incoming: (e: { publicKey: string; callId: string }) => void;
  /** A call ended: its entry for the conversation (kept in the window only, not in the vault). */
  ended: (e: { entry: CallEntry }) => void;
  /** A frame could not be handed to the core (CALL_NO_LINK, …): the call was ended. */
  sendFailed: (e: { code: string; message: string }) => void;
};

export interface CallControllerOptions {
  bridge: CallBridge;
  /** Engine options but `send` (the controller's); the e2e and the app pass ICE servers and relay-only. */
  engine?: Omit<CallEngineOptions, 'send'>;
  now?: () => number;
}

/**
 * Connects the window's one CallEngine to the core (VOICE-01, VOICE-02, issue #14):
 *
 *   engine `send` ──► bridge `calls.send { publicKey: the call's contact, frame }`
 *   bridge `calls.frame { publicKey, frame }` ──► engine.handleFrame (only from the call's contact;
 *   an invite from anyone else while busy is declined `busy` here, to its sender)
 *
 * It names the contact of the current call, hands the UI one stable control object per contact
 * (`forContact`), and keeps the finished calls of this window (`entries`).
 */
export class CallController extends TypedEmitter<CallControllerEvents> {
  readonly engine: CallEngine;
  readonly #bridge: CallBridge;
  readonly #now: () => number;
  #peer: string | null = null;
  readonly #apis = new Map<string, CallControlsApi>();
  readonly #entries: CallEntry[] = [];
  readonly #off: (() => void)[] = [];
  /** Frames from contacts who are not in the current call, dropped. */
  strayFrames = 0;
  /** ICE configurations received from the core (diagnostics and tests). */
  iceRefreshes = 0;

  constructor(options: CallControllerOptions) {
    super();
    this.#bridge = options.bridge;
    this.#now = options.now ?? Date.now;
    this.engine = new CallEngine({ ...options.engine, send: (frame) => this.#send(this.#peer, frame) });
    this.#off.push(
      options.bridge.on('calls.frame', ({ publicKey, frame }) => this.#receive(publicKey, frame)),
      this.engine.on('stateChanged', ({ state, prev }) => this.#stateChanged(state, prev)),
    );
  }

  /** The contact of the current (or last) call, hex; null before the first. */
  get peer(): string | null {
    return this.#peer;
  }

  /** The calls that ended in this window, oldest first (for one contact when `publicKey` is given). */
  entries(publicKey?: string): CallEntry[] {
    return this.#entries.filter((e) => publicKey === undefined || e.publicKey === publicKey);
  }

  /** Call a contact with the links' current ICE configuration. Refused while another call is on. */
  async call(publicKey: string): Promise<string> {
    if (this.#busy()) throw new DiscordOpusError('CALL_BUSY', 'You are already in a call.');
    await this.#refreshIce();
    if (this.#busy()) throw new DiscordOpusError('CALL_BUSY', 'You are already in a call.');
    this.#peer = publicKey;
    return this.engine.call();
  }

  /**
   * The same ICE servers and relay-only as links (P2P-03): asked of the core before each call and
   * when an invite rings (fresh TURN credentials). Unanswered: the last configuration stays.
   */
  async #refreshIce(): Promise<void> {
    try {
      const { iceServers, relayOnly } = await this.#bridge.call('calls.ice', {});
      this.engine.setIceServers(iceServers);
      this.engine.setRelayOnly(relayOnly);
      this.iceRefreshes += 1;
    } catch {
      // keep the last configuration: the call may still work on direct paths
    }
  }

  /** The call controls for one contact's header: `call()` calls that contact. Stable per contact. */
  forContact(publicKey: string): CallControlsApi {
    let api = this.#apis.get(publicKey);
    if (api === undefined) {
      const engine = this.engine;
      api = {
        get state() {
          return engine.state;
        },
        get controls() {
          return engine.controls;
        },
        on: (event, listener) => engine.on(event, listener),
        call: () => this.call(publicKey),
        accept: () => engine.accept(),
        decline: () => engine.decline(),
        hangup: () => engine.hangup(),
        setMuted: (muted) => engine.setMuted(muted),
        setDeafened: (deafened) => engine.setDeafened(deafened),
      };
      this.#apis.set(publicKey, api);
    }
    return api;
  }

  /** Hang up and stop listening (the window closes or locks). */
  close(): void {
    this.engine.hangup();
    for (const off of this.#off.splice(0)) off();
  }

  #busy(): boolean {
    const phase = this.engine.state.phase;
    return phase !== 'idle' && phase !== 'ended';
  }

  #receive(publicKey: string, frame: CallFrame): void {
    if (publicKey !== this.#peer || !this.#busy()) {
      if (frame.type !== 'call.invite') {
        this.strayFrames += 1;
        return;
      }
      if (this.#busy()) {
        this.#send(publicKey, { type: 'call.decline', callId: frame.callId, reason: 'busy' });
        return;
      }
      this.#peer = publicKey;
    }
    this.engine.handleFrame(frame);
  }

  #send(publicKey: string | null, frame: CallFrame): void {
    if (publicKey === null) return;
    this.#bridge.call('calls.send', { publicKey, frame }).catch((error: unknown) => {
      const known = DiscordOpusError.from(error);
      this.emit('sendFailed', { code: known.code, message: known.message });
      // Without the link the call cannot go on: end it here rather than wait for a timeout.
      const st = this.engine.state;
      if (publicKey === this.#peer && 'callId' in st && st.callId === frame.callId) this.engine.hangup();
    });
  }

  #stateChanged(state: CallState, prev: CallState): void {
    const peer = this.#peer;
    if (peer === null) return;
    if (state.phase === 'ringing' && state.direction === 'incoming' && prev.phase !== 'ringing') {
      void this.#refreshIce();
      this.emit('incoming', { publicKey: peer, callId: state.callId });
    }
    if (state.phase === 'ended' && prev.phase !== 'ended') {
      const entry: CallEntry = { callId: state.callId, publicKey: peer, direction: state.direction, reason: state.reason, durationMs: state.durationMs, endedAt: this.#now() };
      this.#entries.push(entry);
      this.emit('ended', { entry });
    }
  }
}

/** "4 min 12 s", "12 s", "1 h 2 min" (a finished call's length, VOICE-01). */
export function formatEntryDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The conversation's line for a finished call: "Missed call", "Call, 4 min 12 s", "Call declined", … */
export function callEntryText(entry: CallEntry): string {
  if (entry.durationMs !== null) return `Call, ${formatEntryDuration(entry.durationMs)}`;
  if (entry.direction === 'incoming') return entry.reason === 'declined' ? 'Call declined' : 'Missed call';
  if (entry.reason === 'declined') return 'Call declined';
  if (entry.reason === 'busy') return 'Call, busy';
  return entry.reason === 'no-answer' ? 'Call, no answer' : 'Call cancelled';
}

import { DiscordOpusError } from '@discordopus/protocol';
import { CALL_LOG_LIMITS, type CallFrame, type CallLogEntry } from '@discordopus/protocol/calls';
import { CallEngine } from './call-engine';
import { CallLog, callOutcome, type CallLogBridge } from './call-log';
import type { CallEngineOptions, CallState, VoiceSettings } from './call-types';
import { rememberedVoiceSettings } from './voice-preferences';
import { TypedEmitter } from './typed-emitter';
import type { CallControlsApi } from './use-call-view';

/** What the controller uses of the bridge (the app's BridgeClient). */
export type CallBridge = CallLogBridge;

/** Unrecorded entries kept for a retry (a window cannot end more calls than this between unlocks in practice). */
const MAX_UNRECORDED = 32;

export type CallControllerEvents = {
  [event: string]: (payload: never) => void;
  /** Someone is calling (the window rings; a desktop notification when not focused). */
  incoming: (e: { publicKey: string; callId: string }) => void;
  /**
   * A call ended (or an invite was refused busy): its entry, recorded in the vault's call log
   * (VOICE-04). `refusedBusy`: it never rang here (another call was on).
   */
  ended: (e: { publicKey: string; entry: CallLogEntry; refusedBusy: boolean }) => void;
  /** A frame could not be handed to the core (CALL_NO_LINK, …): the call was ended. */
  sendFailed: (e: { code: string; message: string }) => void;
  /**
   * A finished call could not be recorded in the vault (the profile locked meanwhile, …).
   * `retrying`: it is kept and tried once more when the profile is next unlocked.
   */
  logFailed: (e: { code: string; message: string; retrying: boolean }) => void;
  /** Settings → Voice changed (VOICE-01), here or remembered from the vault. */
  voiceSettings: (e: { settings: VoiceSettings }) => void;
  /** Settings → Voice could not be kept in the vault (it still applies in this window). */
  voiceSaveFailed: (e: { code: string; message: string }) => void;
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
 * (`forContact`), and records every call that ends in the vault's call log (`log`, VOICE-04): an
 * invite refused busy is a missed call of its caller.
 */
export class CallController extends TypedEmitter<CallControllerEvents> {
  readonly engine: CallEngine;
  readonly #bridge: CallBridge;
  readonly #now: () => number;
  #peer: string | null = null;
  readonly #apis = new Map<string, CallControlsApi>();
  /** This side's clock when the current call started (invite sent or received). */
  #startedAt = 0;
  /** The vault's call log, as this window sees it. */
  readonly log: CallLog;
  readonly #off: (() => void)[] = [];
  /** Entries whose record failed, tried once more at the next unlock (finding 5); bounded. */
  readonly #unrecorded: { publicKey: string; entry: CallLogEntry }[] = [];
  /** Frames from contacts who are not in the current call, dropped. */
  strayFrames = 0;
  /** ICE configurations received from the core (diagnostics and tests). */
  iceRefreshes = 0;

  constructor(options: CallControllerOptions) {
    super();
    this.#bridge = options.bridge;
    this.#now = options.now ?? Date.now;
    this.engine = new CallEngine({ ...options.engine, send: (frame) => this.#send(this.#peer, frame) });
    this.log = new CallLog(options.bridge);
    this.#off.push(
      options.bridge.on('calls.frame', ({ publicKey, frame }) => this.#receive(publicKey, frame)),
      options.bridge.on('calls.answered', ({ publicKey, callId }) => publicKey === this.#peer && this.engine.answeredElsewhere(callId)),
      this.engine.on('stateChanged', ({ state, prev }) => this.#stateChanged(state, prev)),
      // VOICE-01: Settings → Voice lives in the vault (it outlasts the window's origin, which changes each launch).
      options.bridge.on('settings.changed', ({ voice }) => this.#remembered(voice)),
      options.bridge.on('session.changed', ({ state }) => this.#sessionChanged(state)),
    );
    this.#loadRemembered();
  }

  /**
   * The profile locked (or closed) during a call: the call's connection lives in this window and
   * would keep sending the microphone with no controls on screen, so it is hung up here; its entry
   * is recorded once the profile is unlocked again (review finding 4). On unlock: the voice
   * settings and the entries that could not be recorded meanwhile.
   */
  #sessionChanged(state: string): void {
    if (state !== 'unlocked') {
      if (this.#busy()) this.engine.hangup();
      return;
    }
    this.#loadRemembered();
    for (const { publicKey, entry } of this.#unrecorded.splice(0)) this.#record(publicKey, entry, false);
  }

  #loadRemembered(): void {
    this.#bridge.call('settings.get', {}).then(
      ({ voice }) => this.#remembered(voice),
      () => {
        // Locked or not connected yet: loaded again when the session unlocks.
      },
    );
  }

  #remembered(voice: unknown): void {
    const settings = rememberedVoiceSettings(voice);
    if (settings === null) return;
    const before = this.engine.settings;
    if (JSON.stringify(before) === JSON.stringify(settings)) return;
    this.engine.settings = settings;
    if (settings.outputDeviceId !== before.outputDeviceId) this.engine.setOutputDevice(settings.outputDeviceId, settings.outputDeviceLabel).catch(() => {});
    this.emit('voiceSettings', { settings });
  }

  /** The contact of the current (or last) call, hex; null before the first. */
  get peer(): string | null {
    return this.#peer;
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

  /** Settings → Voice as in force (VOICE-01). */
  get voiceSettings(): VoiceSettings {
    return this.engine.settings;
  }

  /**
   * Changes Settings → Voice and remembers it in the vault (`settings.set { voice }`): the
   * microphone and its processing apply from the next call; the speaker at once (also during a
   * call), and it is remembered only once it could be applied. Answers false when the browser
   * cannot choose the speaker.
   */
  async updateVoiceSettings(patch: Partial<VoiceSettings>): Promise<boolean> {
    const before = this.engine.settings;
    let settings = { ...before, ...patch };
    let applied = true;
    let failure: unknown = null;
    if (patch.outputDeviceId !== undefined) {
      try {
        applied = await this.engine.setOutputDevice(settings.outputDeviceId, settings.outputDeviceLabel);
      } catch (error) {
        applied = false;
        failure = error;
      }
      if (!applied) settings = { ...settings, outputDeviceId: before.outputDeviceId, outputDeviceLabel: before.outputDeviceLabel };
    }
    this.engine.settings = settings;
    this.emit('voiceSettings', { settings });
    this.#bridge.call('settings.set', { voice: settings }).catch((error: unknown) => {
      const known = DiscordOpusError.from(error);
      this.emit('voiceSaveFailed', { code: known.code, message: known.message });
    });
    if (failure !== null) throw failure;
    return applied;
  }

  /** Hang up and stop listening (the window closes or locks). */
  close(): void {
    this.engine.hangup();
    for (const off of this.#off.splice(0)) off();
    this.log.close();
  }

  #busy(): boolean {
    const phase = this.engine.state.phase;
    return phase !== 'idle' && phase !== 'ended';
  }

  #receive(publicKey: string, frame: CallFrame): void {
    const st = this.engine.state;
    if (frame.type === 'call.invite' && publicKey === this.#peer && this.#busy() && 'callId' in st && st.callId !== frame.callId) {
      // A new call from the contact already in a call with us (their app restarted mid-call, …):
      // refused busy and logged as missed, as another contact's would be (review finding 10).
      return this.#refuseBusy(publicKey, frame.callId);
    }
    if (publicKey !== this.#peer || !this.#busy()) {
      if (frame.type !== 'call.invite') {
        this.strayFrames += 1;
        return;
      }
      if (this.#busy()) return this.#refuseBusy(publicKey, frame.callId);
      // The sender becomes the call's contact only if the engine takes the invite (it parses it and
      // checks its fingerprint synchronously): a refused one leaves the last call's contact, whose
      // late call.hangup can still correct how that call ended (review finding 11).
      const previous = this.#peer;
      this.#peer = publicKey;
      this.engine.handleFrame(frame);
      const st = this.engine.state;
      if (!(st.phase === 'ringing' && st.direction === 'incoming' && st.callId === frame.callId)) this.#peer = previous;
      return;
    }
    this.engine.handleFrame(frame);
  }

  #refuseBusy(publicKey: string, callId: string): void {
    this.#send(publicKey, { type: 'call.decline', callId, reason: 'busy' });
    const at = this.#now();
    this.#record(publicKey, { callId, direction: 'incoming', outcome: 'missed', durationMs: null, startedAt: at, endedAt: at }, true, true);
  }

  #send(publicKey: string | null, frame: CallFrame): void {
    if (publicKey === null) return;
    this.#bridge.call('calls.send', { publicKey, frame }).catch((error: unknown) => {
      const known = DiscordOpusError.from(error);
      this.emit('sendFailed', { code: known.code, message: known.message });
      // Without the link the call cannot go on: end it here rather than wait for a timeout, saying
      // whether the invite never got out (the contact is offline) or the link broke later.
      const st = this.engine.state;
      if (publicKey === this.#peer && 'callId' in st && st.callId === frame.callId) {
        this.engine.hangup(frame.type === 'call.invite' && known.code === 'CALL_NO_LINK' ? 'unreachable' : 'link-lost');
      }
    });
  }

  #stateChanged(state: CallState, prev: CallState): void {
    const peer = this.#peer;
    if (peer === null) return;
    const starting = (state.phase === 'outgoing' || (state.phase === 'ringing' && state.direction === 'incoming')) && (prev.phase === 'idle' || prev.phase === 'ended');
    if (starting) this.#startedAt = this.#now();
    if (state.phase === 'ringing' && state.direction === 'incoming' && prev.phase !== 'ringing') {
      void this.#refreshIce();
      this.emit('incoming', { publicKey: peer, callId: state.callId });
    }
    // The window that answered records the call; this one only stops ringing.
    if (state.phase === 'ended' && prev.phase !== 'ended' && state.reason !== 'answered-elsewhere') {
      const endedAt = Math.max(this.#now(), this.#startedAt);
      const outcome = callOutcome(state.direction, state.reason, state.durationMs);
      this.#record(peer, { callId: state.callId, direction: state.direction, outcome, durationMs: outcome === 'completed' ? Math.min(CALL_LOG_LIMITS.maxDurationMs, Math.max(0, Math.round(state.durationMs ?? 0))) : null, startedAt: this.#startedAt, endedAt });
    }
  }

  /** Records an entry; a failure is kept and retried once at the next unlock (`retry`), then given up with a notice. */
  #record(publicKey: string, entry: CallLogEntry, first = true, refusedBusy = false): void {
    if (first) this.emit('ended', { publicKey, entry, refusedBusy });
    this.log.record(publicKey, entry).catch((error: unknown) => {
      const known = DiscordOpusError.from(error);
      const retrying = first && this.#unrecorded.length < MAX_UNRECORDED;
      if (retrying) this.#unrecorded.push({ publicKey, entry });
      this.emit('logFailed', { code: known.code, message: known.message, retrying });
    });
  }
}

/**
 * VOICE-04: when the window goes away (closed, reloaded, the app quits) the call is hung up on
 * the way out, so the peer hears "hung up" at once instead of waiting out the grace period (a
 * crash still ends as lost on the other side). Returns the unsubscriber.
 */
export function hangUpWhenWindowCloses(controller: CallController, target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>): () => void {
  const onHide = () => controller.close();
  target.addEventListener('pagehide', onHide);
  return () => target.removeEventListener('pagehide', onHide);
}

import type { IceCandidate } from '@discordopus/protocol/calls';
import type { CallConnection } from './call-connection';
import { lostReason, setupFailureReason } from './call-failure';
import { CallMedia } from './call-media';
import { CallSampler } from './call-sampler';
import { DEFAULT_VOICE_SETTINGS, type CallClock, type CallDirection, type CallEndReason, type CallEngineEvents, type CallEngineOptions, type CallRefusal, type CallState, type VoiceSettings } from './call-types';
import { NamedTimers } from './named-timers';
import { TypedEmitter } from './typed-emitter';

const browserClock: CallClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type CallTimer = 'ring' | 'grace';

/**
 * The bookkeeping under the CallEngine (VOICE-01..04, PROTOCOL.md §9.2): the call's state and
 * its transitions, what one call holds (connection, media, sampler, timers, the peer's
 * fingerprint, the ringing offer and candidates), the end of a call and its teardown, and the
 * refusal counters. The call flow itself (API, frames, connection events) is CallEngine's.
 */
export class CallStateMachine extends TypedEmitter<CallEngineEvents> {
  protected st: CallState = { phase: 'idle' };
  protected conn: CallConnection | null = null;
  protected readonly media: CallMedia;
  protected readonly clock: CallClock;
  protected readonly timers: NamedTimers<CallTimer>;
  protected readonly refused: Record<CallRefusal, number> = { oversized: 0, malformed: 0, 'unknown-type': 0, unexpected: 0 };
  protected remoteFingerprint: string | null = null;
  protected pendingOffer: string | null = null;
  protected pendingCandidates: IceCandidate[] = [];
  protected restarting = false;
  protected sampler: CallSampler | null = null;
  settings: VoiceSettings;

  constructor(protected options: CallEngineOptions) {
    super();
    this.clock = options.clock ?? browserClock;
    this.timers = new NamedTimers(this.clock);
    this.settings = options.settings ?? DEFAULT_VOICE_SETTINGS;
    const gum = options.getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c));
    this.media = new CallMedia(gum, options.audioElement, options.listDevices);
  }

  get state(): CallState {
    return this.st;
  }

  /** The call's connection, for diagnostics and tests (null outside a call). */
  get peerConnection(): RTCPeerConnection | null {
    return this.conn?.pc ?? null;
  }

  get controls(): { muted: boolean; deafened: boolean } {
    return this.media.state;
  }

  /** Frames refused so far, by reason (PROTOCOL.md §9.3). */
  refusals(): Readonly<Record<CallRefusal, number>> {
    return { ...this.refused };
  }

  protected startSampler(pc: RTCPeerConnection, callId: string): void {
    this.sampler?.stop();
    this.sampler = new CallSampler({
      pc,
      clock: this.clock,
      qualityIntervalMs: this.options.qualityIntervalMs ?? 1_000,
      levelIntervalMs: this.options.levelIntervalMs ?? 200,
      speakingThreshold: this.options.speakingThreshold ?? 0.02,
      sending: () => !(this.media.state.muted || this.media.state.deafened),
      onQuality: (quality) => this.emit('quality', { quality }),
      onLevels: (levels) => this.emit('levels', { levels }),
      onMediaFlowing: (at) => this.emit('mediaFlowing', { callId, at }),
    });
  }

  protected hangupWith(reason: 'security' | 'peer-lost' | 'error'): void {
    const st = this.st;
    if (st.phase === 'idle' || st.phase === 'ended') return;
    this.options.send({ type: 'call.hangup', callId: st.callId, reason });
    this.end(reason === 'peer-lost' ? lostReason((this.options.online ?? (() => navigator.onLine))()) : reason);
  }

  /** Set-up failed (microphone, relay-only without TURN, …): the peer is told if it knows of the call, the user why. */
  protected failSetup(callId: string, error: unknown, tellPeer: () => unknown): void {
    if (!this.current(callId) || this.st.phase === 'ended') return;
    tellPeer();
    this.end(setupFailureReason(error));
  }

  protected end(reason: CallEndReason): void {
    const st = this.st;
    if (st.phase === 'idle' || st.phase === 'ended') return;
    const durationMs = st.phase === 'in-call' ? this.clock.now() - st.connectedAt : null;
    this.teardown();
    this.setState({ phase: 'ended', callId: st.callId, direction: st.direction as CallDirection, reason, durationMs });
  }

  /** A call that already ended gets the reason the peer gave later (nothing else changes; no new end). */
  protected correctEnd(reason: CallEndReason): void {
    const st = this.st;
    if (st.phase !== 'ended' || st.reason === reason) return;
    this.setState({ ...st, reason });
  }

  protected teardown(): void {
    this.timers.clearAll();
    this.sampler?.stop();
    this.sampler = null;
    this.conn?.close();
    this.conn = null;
    this.media.close();
  }

  protected resetCall(): void {
    this.teardown();
    this.pendingOffer = null;
    this.pendingCandidates = [];
    this.remoteFingerprint = null;
    this.restarting = false;
  }

  protected busy(): boolean {
    return this.st.phase !== 'idle' && this.st.phase !== 'ended';
  }

  protected current(callId: string): boolean {
    return this.st.phase !== 'idle' && this.st.callId === callId;
  }

  protected isOutgoing(callId: string, phases: CallState['phase'][]): boolean {
    return this.current(callId) && phases.includes(this.st.phase) && 'direction' in this.st && this.st.direction === 'outgoing';
  }

  protected refuse(reason: CallRefusal, type: string | null): void {
    this.refused[reason] += 1;
    this.emit('refused', { reason, type });
  }

  protected setState(state: CallState): void {
    const prev = this.st;
    if (state.phase === 'outgoing') this.resetCall();
    this.st = state;
    this.emit('stateChanged', { state, prev });
  }
}

import type { CallFrame } from '@discordopus/protocol/calls';
import { CallEngine } from '../call-engine';
import type { CallEngineOptions, CallLevels, CallQuality, CallState } from '../call-types';

/**
 * The page side of the Chromium call tests and of `bench/calls.ts`: one CallEngine per page
 * whose frames leave through `window.sendCallFrame` (a function the test exposes: a stand-in
 * for the contact's link) and arrive through `callHarness.deliver`. Bundled with esbuild by the
 * test; never part of the app bundle.
 */

declare global {
  interface Window {
    sendCallFrame: (frameJson: string) => Promise<void>;
    callHarness: CallHarness;
  }
}

export interface HarnessOptions {
  iceServers: RTCIceServer[];
  relayOnly: boolean;
  ringTimeoutMs?: number;
  reconnectGraceMs?: number;
}

export interface HarnessSnapshot {
  phase: CallState['phase'];
  reason: string | null;
  phases: string[];
  connectionStates: string[];
  quality: CallQuality | null;
  levels: CallLevels | null;
  refusals: Record<string, number>;
  mediaFlowingAt: number | null;
  localSdp: string | null;
  remoteSdp: string | null;
}

export class CallHarness {
  engine: CallEngine | null = null;
  private phases: string[] = [];
  private connectionStates: string[] = [];
  private quality: CallQuality | null = null;
  private levels: CallLevels | null = null;
  private mediaFlowingAt: number | null = null;
  private analyser: AnalyserNode | null = null;
  private context: AudioContext | null = null;

  init(options: HarnessOptions): void {
    this.engine?.dispose();
    const audio = document.createElement('audio');
    document.body.append(audio);
    const engineOptions: CallEngineOptions = {
      send: (frame: CallFrame) => void window.sendCallFrame(JSON.stringify(frame)),
      iceServers: options.iceServers,
      relayOnly: options.relayOnly,
      audioElement: audio,
      ...(options.ringTimeoutMs !== undefined ? { ringTimeoutMs: options.ringTimeoutMs } : {}),
      ...(options.reconnectGraceMs !== undefined ? { reconnectGraceMs: options.reconnectGraceMs } : {}),
    };
    const engine = new CallEngine(engineOptions);
    this.engine = engine;
    this.phases = [];
    this.connectionStates = [];
    engine.on('connectionChanged', ({ state }) => this.connectionStates.push(state));
    this.quality = null;
    this.levels = null;
    this.mediaFlowingAt = null;
    engine.on('stateChanged', ({ state }) => {
      this.phases.push(state.phase === 'ended' ? `ended:${state.reason}` : state.phase);
    });
    engine.on('quality', ({ quality }) => (this.quality = quality));
    engine.on('levels', ({ levels }) => (this.levels = levels));
    engine.on('mediaFlowing', ({ at }) => (this.mediaFlowingAt = at));
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.required().setIceServers(iceServers);
  }

  deliver(frameJson: string): void {
    this.required().handleFrame(frameJson);
  }

  async call(): Promise<string> {
    return this.required().call();
  }

  accept(): Promise<void> {
    return this.required().accept();
  }

  /** Inbound RTP audio packets so far (for the bench's first-packet time). */
  async inboundPackets(): Promise<number> {
    const pc = this.required().peerConnection;
    if (pc === null) return 0;
    let packets = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') packets = s.packetsReceived ?? 0;
    });
    return packets;
  }

  /**
   * Bench: accept the ringing call, then milliseconds from the accept to the first inbound audio
   * packet (getStats polled every 2 ms).
   */
  async acceptAndTimeFirstPacket(): Promise<number> {
    const t0 = performance.now();
    await this.accept();
    while ((await this.inboundPackets()) === 0) {
      if (this.required().state.phase === 'ended') throw new Error(`the call ended before audio arrived: ${this.phases.join(' → ')}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return performance.now() - t0;
  }

  /**
   * Bench: the mouth-to-ear estimate from getStats — average jitter-buffer delay + RTT/2 + the
   * average playout delay (capture is not measurable with a fake device), in ms.
   */
  async mouthToEar(): Promise<{ jitterBufferMs: number; halfRttMs: number; playoutMs: number } | null> {
    const pc = this.required().peerConnection;
    if (pc === null) return null;
    let jitterBufferMs = 0;
    let halfRttMs = 0;
    let playoutMs = 0;
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && Number(s.jitterBufferEmittedCount) > 0) {
        jitterBufferMs = (Number(s.jitterBufferDelay) / Number(s.jitterBufferEmittedCount)) * 1000;
      }
      if (s.type === 'candidate-pair' && s.nominated === true && typeof s.currentRoundTripTime === 'number') halfRttMs = (s.currentRoundTripTime * 1000) / 2;
      if (s.type === 'media-playout' && Number(s.totalSamplesCount) > 0) playoutMs = (Number(s.totalPlayoutDelay) / Number(s.totalSamplesCount)) * 1000;
    });
    return { jitterBufferMs, halfRttMs, playoutMs };
  }

  snapshot(): HarnessSnapshot {
    const engine = this.required();
    const st = engine.state;
    const pc = engine.peerConnection;
    return {
      phase: st.phase,
      reason: st.phase === 'ended' ? st.reason : null,
      phases: [...this.phases],
      connectionStates: [...this.connectionStates],
      quality: this.quality,
      levels: this.levels,
      refusals: { ...engine.refusals() },
      mediaFlowingAt: this.mediaFlowingAt,
      localSdp: pc?.localDescription?.sdp ?? null,
      remoteSdp: pc?.remoteDescription?.sdp ?? null,
    };
  }

  /**
   * What this side hears: the RMS (0–1) and the dominant frequency (Hz) of the remote audio,
   * through an AnalyserNode on the remote stream.
   */
  hearing(): { rms: number; dominantHz: number } {
    const engine = this.required();
    const pc = engine.peerConnection;
    const track = pc?.getReceivers().find((r) => r.track.kind === 'audio')?.track;
    if (track === undefined) return { rms: 0, dominantHz: 0 };
    if (this.analyser === null || this.analyserTrack !== track) {
      this.context ??= new AudioContext({ sampleRate: 48_000 });
      const source = this.context.createMediaStreamSource(new MediaStream([track]));
      this.analyser = this.context.createAnalyser();
      this.analyser.fftSize = 8192;
      this.analyser.smoothingTimeConstant = 0;
      source.connect(this.analyser);
      this.analyserTrack = track;
    }
    const analyser = this.analyser;
    const time = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(time);
    const rms = Math.sqrt(time.reduce((sum, x) => sum + x * x, 0) / time.length);
    const freq = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(freq);
    let best = 0;
    for (let i = 1; i < freq.length; i += 1) if ((freq[i] ?? -Infinity) > (freq[best] ?? -Infinity)) best = i;
    return { rms, dominantHz: (best * (this.context?.sampleRate ?? 48_000)) / analyser.fftSize };
  }

  private analyserTrack: MediaStreamTrack | null = null;

  private required(): CallEngine {
    if (this.engine === null) throw new Error('callHarness.init() first');
    return this.engine;
  }
}

window.callHarness = new CallHarness();

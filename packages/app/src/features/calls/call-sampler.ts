import { audioLevels, inboundPackets, qualitySample, type QualityCounters } from './call-stats';
import type { CallClock, CallLevels, CallQuality } from './call-types';

export interface CallSamplerOptions {
  pc: RTCPeerConnection;
  clock: CallClock;
  qualityIntervalMs: number;
  levelIntervalMs: number;
  speakingThreshold: number;
  /** Whether the local microphone is currently sent (not muted or deafened). */
  sending: () => boolean;
  onQuality: (quality: CallQuality) => void;
  onLevels: (levels: CallLevels) => void;
  /** Once: the first inbound audio packet was counted. */
  onMediaFlowing: (at: number) => void;
}

/**
 * Periodic getStats readings of a connected call: the quality panel every second (VOICE-03),
 * the speaking indicators several times a second (VOICE-01). Stops with `stop()`.
 */
export class CallSampler {
  private counters: QualityCounters | null = null;
  private flowing = false;
  private stopped = false;
  private readonly handles = new Set<unknown>();

  constructor(private readonly o: CallSamplerOptions) {
    this.quality();
    this.levels();
  }

  stop(): void {
    this.stopped = true;
    for (const h of this.handles) this.o.clock.clearTimeout(h);
    this.handles.clear();
  }

  private every(ms: number, fn: () => void): void {
    const handle = this.o.clock.setTimeout(() => {
      this.handles.delete(handle);
      if (!this.stopped) fn();
    }, ms);
    this.handles.add(handle);
  }

  private quality(): void {
    void this.o.pc.getStats().then((report) => {
      if (this.stopped) return;
      const { quality, counters } = qualitySample(report, this.o.clock.now(), this.counters);
      this.counters = counters;
      this.o.onQuality(quality);
    });
    this.every(this.o.qualityIntervalMs, () => this.quality());
  }

  private levels(): void {
    void this.o.pc.getStats().then((report) => {
      if (this.stopped) return;
      if (!this.flowing && inboundPackets(report) > 0) {
        this.flowing = true;
        this.o.onMediaFlowing(this.o.clock.now());
      }
      const { local, remote } = audioLevels(report);
      const threshold = this.o.speakingThreshold;
      this.o.onLevels({ local, remote, localSpeaking: this.o.sending() && local > threshold, remoteSpeaking: remote > threshold });
    });
    this.every(this.o.levelIntervalMs, () => this.levels());
  }
}

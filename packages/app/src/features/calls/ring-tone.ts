/**
 * Ring and ringback sounds made with WebAudio (VOICE-01): no audio files to ship or load.
 * `ring` (the callee's window): 440 + 480 Hz, 2 s on, 4 s off; `ringback` (the caller hears
 * while the callee rings): 425 Hz, 1 s on, 4 s off. The AudioContext is injected.
 */
export type RingKind = 'ring' | 'ringback';

export interface Ringer {
  start(kind: RingKind): void;
  stop(): void;
  readonly playing: RingKind | null;
}

const PATTERNS: Record<RingKind, { freqs: number[]; onS: number; offS: number; gain: number }> = {
  ring: { freqs: [440, 480], onS: 2, offS: 4, gain: 0.12 },
  ringback: { freqs: [425], onS: 1, offS: 4, gain: 0.08 },
};

/** Cycles scheduled up front: longer than the 30 s ring timeout. */
const CYCLES = 12;

export function createRinger(makeContext: () => AudioContext = () => new AudioContext()): Ringer {
  let context: AudioContext | null = null;
  let nodes: { oscillators: OscillatorNode[]; gain: GainNode } | null = null;
  let playing: RingKind | null = null;

  function stop(): void {
    if (nodes !== null) {
      for (const o of nodes.oscillators) {
        o.stop();
        o.disconnect();
      }
      nodes.gain.disconnect();
    }
    nodes = null;
    playing = null;
  }

  return {
    get playing() {
      return playing;
    },
    start(kind) {
      if (playing === kind) return;
      stop();
      context ??= makeContext();
      void context.resume().catch(() => {});
      const p = PATTERNS[kind];
      const gain = context.createGain();
      const t0 = context.currentTime;
      gain.gain.setValueAtTime(0, t0);
      for (let i = 0; i < CYCLES; i += 1) {
        const start = t0 + i * (p.onS + p.offS);
        gain.gain.setValueAtTime(p.gain, start);
        gain.gain.setValueAtTime(0, start + p.onS);
      }
      gain.connect(context.destination);
      const oscillators = p.freqs.map((f) => {
        const o = (context as AudioContext).createOscillator();
        o.frequency.value = f;
        o.connect(gain);
        o.start(t0);
        return o;
      });
      nodes = { oscillators, gain };
      playing = kind;
    },
    stop,
  };
}

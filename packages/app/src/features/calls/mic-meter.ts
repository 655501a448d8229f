import { audioConstraints, type VoiceSettings } from './call-types';

/** A live microphone level (0–1) for Settings → Voice's test meter (VOICE-01). */
export interface MicMeter {
  level(): number;
  close(): void;
}

/** Opens the microphone with the settings' constraints and reads its RMS through an AnalyserNode. */
export async function openMicMeter(
  settings: VoiceSettings,
  getUserMedia: (c: MediaStreamConstraints) => Promise<MediaStream> = (c) => navigator.mediaDevices.getUserMedia(c),
  makeContext: () => AudioContext = () => new AudioContext(),
): Promise<MicMeter> {
  const stream = await getUserMedia(audioConstraints(settings));
  const context = makeContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  return {
    level() {
      analyser.getFloatTimeDomainData(samples);
      return Math.min(1, Math.sqrt(samples.reduce((s, x) => s + x * x, 0) / samples.length) * 2);
    },
    close() {
      for (const t of stream.getTracks()) t.stop();
      void context.close();
    },
  };
}

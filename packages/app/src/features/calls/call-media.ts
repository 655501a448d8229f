import { audioConstraints, type VoiceSettings } from './call-types';
import { browserListDevices, matchDevice, type ListDevices } from './voice-preferences';

/** getUserMedia / setSinkId's answer when the asked device is not there (unplugged, switched off). */
export function isMissingDevice(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null && 'name' in error ? (error as { name: unknown }).name : null;
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}

type SinkCapable = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * The call's audio ends (VOICE-01): the microphone track (mute = `track.enabled = false`) and
 * the element the remote audio plays through (deafen = element muted; output device =
 * `setSinkId` where the browser has it).
 */
export class CallMedia {
  private stream: MediaStream | null = null;
  private muted = false;
  private deafened = false;
  readonly audio: HTMLAudioElement;

  constructor(
    private readonly getUserMedia: (c: MediaStreamConstraints) => Promise<MediaStream>,
    audio: HTMLAudioElement | undefined,
    /** The browser's devices, to find a remembered device again by name (its id changes per origin). */
    private readonly listDevices: ListDevices = browserListDevices,
  ) {
    this.audio = audio ?? document.createElement('audio');
    this.audio.autoplay = true;
  }

  /**
   * Opens the microphone with the settings' constraints; returns its one audio track, and whether
   * a chosen microphone was missing so that another one (the default) is used.
   */
  async open(settings: VoiceSettings): Promise<{ stream: MediaStream; track: MediaStreamTrack; chosenMissing: boolean }> {
    this.close();
    const inputDeviceId = await this.#match('audioinput', settings.inputDeviceId, settings.inputDeviceLabel);
    let chosenMissing = settings.inputDeviceId !== null && inputDeviceId === null;
    settings = { ...settings, inputDeviceId };
    const stream = await this.getUserMedia(audioConstraints(settings)).catch((error: unknown) => {
      // A browser that still refuses the preferred device (it is gone): retry once with the default.
      if (settings.inputDeviceId === null || !isMissingDevice(error)) throw error;
      chosenMissing = true;
      return this.getUserMedia(audioConstraints({ ...settings, inputDeviceId: null }));
    });
    const track = stream.getAudioTracks()[0];
    if (track === undefined) {
      for (const t of stream.getTracks()) t.stop();
      throw new Error('the microphone gave no audio track');
    }
    this.stream = stream;
    this.apply();
    // `ideal` lets the browser pick another device silently: its settings say which one it took.
    const usedId = typeof track.getSettings === 'function' ? track.getSettings().deviceId : undefined;
    if (inputDeviceId !== null && usedId !== undefined && usedId !== inputDeviceId) chosenMissing = true;
    return { stream, track, chosenMissing };
  }

  /** Plays what the peer sends. Headless Chromium reports inbound audio levels only while it plays. */
  playRemote(stream: MediaStream): void {
    this.audio.srcObject = stream;
    this.apply();
    this.audio.play().catch(() => {
      // Autoplay refused (no user gesture): the in-call bar's controls are a gesture and retry.
    });
  }

  get state(): { muted: boolean; deafened: boolean } {
    return { muted: this.muted, deafened: this.deafened };
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.apply();
  }

  /** Deafen silences the speaker and the microphone; undeafen restores the mute the user chose. */
  setDeafened(deafened: boolean): void {
    this.deafened = deafened;
    this.apply();
  }

  /** Chooses the speaker; false where the browser cannot (no `setSinkId`). */
  async setOutputDevice(chosenId: string | null, label: string | null = null): Promise<boolean> {
    const audio = this.audio as SinkCapable;
    if (typeof audio.setSinkId !== 'function') return false;
    const deviceId = await this.#match('audiooutput', chosenId, label);
    try {
      await audio.setSinkId(deviceId ?? '');
    } catch (error) {
      // The chosen speaker is gone: the system default plays, and the caller hears why.
      if (deviceId !== null && isMissingDevice(error)) await audio.setSinkId('').catch(() => {});
      throw error;
    }
    return true;
  }

  /** A remembered device: by id, else by name, else the default; kept as is when the list cannot be read. */
  async #match(kind: MediaDeviceKind, id: string | null, label: string | null): Promise<string | null> {
    if (id === null) return null;
    const devices = await this.listDevices().catch(() => null);
    return devices === null || devices.length === 0 ? id : matchDevice(devices, kind, id, label);
  }

  private apply(): void {
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !(this.muted || this.deafened);
    this.audio.muted = this.deafened;
  }

  close(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.audio.srcObject = null;
  }
}

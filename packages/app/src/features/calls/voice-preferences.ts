import { DEFAULT_VOICE_SETTINGS, type VoiceSettings } from './call-types';

/** Where Settings → Voice is remembered: this window's storage (the launcher gives each profile its own). */
export const VOICE_STORAGE_KEY = 'discordopus.voice';

/** A device id as the browser gives it (a hash of at most a few hundred characters). */
const MAX_DEVICE_ID_CHARS = 512;

export type VoiceStorage = Pick<Storage, 'getItem' | 'setItem'>;

function deviceId(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_DEVICE_ID_CHARS ? value : undefined;
}

/**
 * The remembered voice settings (VOICE-01): each field is checked on its own, and one that is
 * missing or wrong falls back to its default (a hand-edited or older entry never breaks a call).
 */
export function readVoiceSettings(storage: VoiceStorage | null): VoiceSettings {
  let stored: unknown = null;
  try {
    const text = storage?.getItem(VOICE_STORAGE_KEY) ?? null;
    stored = text === null ? null : JSON.parse(text);
  } catch {
    stored = null;
  }
  if (typeof stored !== 'object' || stored === null) return DEFAULT_VOICE_SETTINGS;
  const s = stored as Record<string, unknown>;
  const flag = (key: 'echoCancellation' | 'noiseSuppression' | 'autoGainControl') => (typeof s[key] === 'boolean' ? s[key] : DEFAULT_VOICE_SETTINGS[key]);
  return {
    echoCancellation: flag('echoCancellation'),
    noiseSuppression: flag('noiseSuppression'),
    autoGainControl: flag('autoGainControl'),
    inputDeviceId: deviceId(s.inputDeviceId) ?? DEFAULT_VOICE_SETTINGS.inputDeviceId,
    outputDeviceId: deviceId(s.outputDeviceId) ?? DEFAULT_VOICE_SETTINGS.outputDeviceId,
    inputDeviceLabel: deviceId(s.inputDeviceLabel) ?? DEFAULT_VOICE_SETTINGS.inputDeviceLabel,
    outputDeviceLabel: deviceId(s.outputDeviceLabel) ?? DEFAULT_VOICE_SETTINGS.outputDeviceLabel,
  };
}

export function writeVoiceSettings(storage: VoiceStorage | null, settings: VoiceSettings): void {
  try {
    storage?.setItem(VOICE_STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Storage can be disabled: the choice then lasts until the window closes.
  }
}

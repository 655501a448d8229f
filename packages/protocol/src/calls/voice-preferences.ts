import { z } from 'zod';

/** A device id or name as the browser gives it (an id is a hash of at most a few hundred characters). */
export const VOICE_DEVICE_MAX_CHARS = 512;

const device = z.string().min(1).max(VOICE_DEVICE_MAX_CHARS).nullable();

/**
 * Settings → Voice (VOICE-01), kept in the vault's settings (`voice.preferences`) so that it lasts
 * across launches: the window's origin, and with it localStorage and device ids, changes each
 * launch. Device ids are per origin, so the chosen devices' names are kept too; the window matches
 * a remembered device by id, else by name, else uses the default. null: the system default.
 */
export const voicePreferencesSchema = z.object({
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
  inputDeviceId: device,
  outputDeviceId: device,
  inputDeviceLabel: device,
  outputDeviceLabel: device,
});
export type VoicePreferences = z.infer<typeof voicePreferencesSchema>;

export const DEFAULT_VOICE_PREFERENCES: VoicePreferences = Object.freeze({
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  inputDeviceId: null,
  outputDeviceId: null,
  inputDeviceLabel: null,
  outputDeviceLabel: null,
});

import { voicePreferencesSchema } from '@discordopus/protocol/calls';
import type { VoiceSettings } from './call-types';

type Device = Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>;

/** The browser's devices (enumerateDevices); [] where it has none or refuses. */
export type ListDevices = () => Promise<Device[]>;

export const browserListDevices: ListDevices = async () => (typeof navigator === 'undefined' || navigator.mediaDevices === undefined ? [] : navigator.mediaDevices.enumerateDevices());

/**
 * The device to use for a remembered choice (VOICE-01). Device ids are per origin and the window's
 * origin changes each launch, so: the same id if it is there, else a device of that kind with the
 * same name, else null (the system default).
 */
export function matchDevice(devices: readonly Device[], kind: MediaDeviceKind, id: string | null, label: string | null): string | null {
  if (id === null) return null;
  const ofKind = devices.filter((d) => d.kind === kind);
  if (ofKind.some((d) => d.deviceId === id)) return id;
  const named = label === null ? undefined : ofKind.find((d) => d.label === label);
  return named?.deviceId ?? null;
}

/** Settings → Voice as the vault answered it, checked again here (the one schema of protocol). */
export function rememberedVoiceSettings(value: unknown): VoiceSettings | null {
  const parsed = voicePreferencesSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

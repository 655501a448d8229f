import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import type { CallController } from './call-controller';
import { useCalls } from './call-layer';
import type { VoiceSettings } from './call-types';
import { openMicMeter, type MicMeter } from './mic-meter';
import { useCallView } from './use-call-view';
import { VoiceSettingsSection } from './voice-settings';

type Device = Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>;

/** The browser's devices and microphone meter (tests inject their own through CallsProvider `devices`). */
export interface VoiceDevices {
  listDevices: () => Promise<Device[]>;
  openMeter: (settings: VoiceSettings) => Promise<MicMeter>;
}

export const browserVoiceDevices: VoiceDevices = {
  listDevices: async () => (navigator.mediaDevices === undefined ? [] : navigator.mediaDevices.enumerateDevices()),
  openMeter: (settings) => openMicMeter(settings),
};

/**
 * Settings → Voice, mounted (VOICE-01): the window's call controller's settings, remembered in
 * this window; the microphone and its processing apply from the next call, the speaker at once.
 */
export function VoiceSettingsTab() {
  const calls = useCalls();
  const controller = calls?.controller ?? null;
  if (controller === null) return <p className="text-sm text-muted">Voice calls are not available in this window.</p>;
  return <VoiceSettingsPanel controller={controller} devices={calls?.devices ?? browserVoiceDevices} />;
}

function VoiceSettingsPanel({ controller, devices }: { controller: CallController; devices: VoiceDevices }) {
  const { state } = useCallView(controller.engine);
  const [settings, setSettings] = useState<VoiceSettings>(controller.voiceSettings);
  const [speakerProblem, setSpeakerProblem] = useState<string | null>(null);
  useEffect(() => {
    setSettings(controller.voiceSettings);
    return controller.on('voiceSettings', ({ settings: next }) => setSettings(next));
  }, [controller]);
  const inCall = state.phase !== 'idle' && state.phase !== 'ended';
  return (
    <div className="flex flex-col gap-2">
      <VoiceSettingsSection
        settings={settings}
        listDevices={devices.listDevices}
        openMeter={devices.openMeter}
        onChange={(patch) => {
          setSpeakerProblem(null);
          controller.updateVoiceSettings(patch).then(
            (applied) => !applied && setSpeakerProblem('This browser cannot choose the speaker: the system default plays the call.'),
            (error: unknown) => setSpeakerProblem(`The speaker could not be chosen: ${errorMessage(error)}`),
          );
        }}
      />
      {inCall && (
        <p className="text-xs text-muted" data-testid="voice-next-call">
          The microphone and its processing change from the next call; the speaker changes now.
        </p>
      )}
      {speakerProblem !== null && (
        <p role="alert" className="text-xs text-danger" data-testid="voice-output-error">
          {speakerProblem}
        </p>
      )}
    </div>
  );
}

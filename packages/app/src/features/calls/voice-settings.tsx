import { useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/error-message';
import type { VoiceSettings } from './call-types';
import type { MicMeter } from './mic-meter';

type Device = Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>;

export interface VoiceSettingsProps {
  settings: VoiceSettings;
  onChange: (patch: Partial<VoiceSettings>) => void;
  /** navigator.mediaDevices.enumerateDevices in the app. */
  listDevices: () => Promise<Device[]>;
  /** Opens the microphone for the level meter (openMicMeter in the app). */
  openMeter: (settings: VoiceSettings) => Promise<MicMeter>;
  /** How often the meter redraws. */
  meterIntervalMs?: number;
}

interface DeviceSelectProps {
  id: string;
  testId: string;
  devices: Device[];
  /** The browser has answered enumerateDevices (before that, nothing is called missing). */
  listed: boolean;
  chosenId: string | null;
  chosenLabel: string | null;
  unnamed: string;
  onChoose: (id: string | null, label: string | null) => void;
}

/**
 * One device select. A remembered device that is not connected stays shown as the choice,
 * "USB headset (not connected)", so the select never claims a choice that is not in force and
 * "System default" is a real change (review finding 1).
 */
function DeviceSelect({ id, testId, devices, listed, chosenId, chosenLabel, unnamed, onChoose }: DeviceSelectProps) {
  const name = (d: Device, i: number) => d.label || `${unnamed} ${i + 1}`;
  const missing = listed && chosenId !== null && !devices.some((d) => d.deviceId === chosenId);
  return (
    <select
      id={id}
      data-testid={testId}
      value={chosenId ?? ''}
      onChange={(e) => {
        const value = e.target.value;
        const index = devices.findIndex((d) => d.deviceId === value);
        const device = devices[index];
        if (device !== undefined) onChoose(device.deviceId, device.label || null);
        else if (value === '') onChoose(null, null);
      }}
      className="rounded border border-line bg-input px-2 py-1 text-sm"
    >
      <option value="">System default</option>
      {devices.map((d, i) => (
        <option key={d.deviceId} value={d.deviceId}>
          {name(d, i)}
        </option>
      ))}
      {missing && (
        <option value={chosenId} data-testid={`${testId}-missing`}>
          {`${chosenLabel ?? `Chosen ${unnamed.toLowerCase()}`} (not connected)`}
        </option>
      )}
    </select>
  );
}

const PROCESSING: { key: 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'; label: string }[] = [
  { key: 'echoCancellation', label: 'Echo cancellation' },
  { key: 'noiseSuppression', label: 'Noise suppression' },
  { key: 'autoGainControl', label: 'Automatic gain control' },
];

/** Settings → Voice (VOICE-01): microphone and speaker, the three processing switches, a microphone test. */
export function VoiceSettingsSection({ settings, onChange, listDevices, openMeter, meterIntervalMs = 100 }: VoiceSettingsProps) {
  const [devices, setDevices] = useState<Device[]>([]);
  const [listed, setListed] = useState(false);
  const inputId = useId();
  const outputId = useId();
  useEffect(() => {
    let live = true;
    listDevices().then(
      (list) => {
        if (!live) return;
        setDevices(list);
        setListed(true);
      },
      () => {
        if (!live) return;
        setDevices([]);
        setListed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [listDevices]);
  const inputs = devices.filter((d) => d.kind === 'audioinput');
  const outputs = devices.filter((d) => d.kind === 'audiooutput');
  return (
    <section aria-labelledby={`${inputId}-title`} data-testid="voice-settings" className="flex flex-col gap-3">
      <h3 id={`${inputId}-title`} className="text-base font-semibold text-strong">
        Voice
      </h3>
      <label htmlFor={inputId} className="text-sm font-medium text-strong">
        Microphone
      </label>
      <DeviceSelect id={inputId} testId="voice-input" devices={inputs} listed={listed} chosenId={settings.inputDeviceId} chosenLabel={settings.inputDeviceLabel} unnamed="Microphone" onChoose={(id, label) => onChange({ inputDeviceId: id, inputDeviceLabel: label })} />
      <label htmlFor={outputId} className="text-sm font-medium text-strong">
        Speaker
      </label>
      <DeviceSelect id={outputId} testId="voice-output" devices={outputs} listed={listed} chosenId={settings.outputDeviceId} chosenLabel={settings.outputDeviceLabel} unnamed="Speaker" onChoose={(id, label) => onChange({ outputDeviceId: id, outputDeviceLabel: label })} />
      {PROCESSING.map(({ key, label }) => (
        <div key={key} className="flex items-center justify-between gap-3">
          <span className="text-sm text-strong" id={`${inputId}-${key}`}>
            {label}
          </span>
          <button
            type="button"
            role="switch"
            aria-checked={settings[key]}
            aria-labelledby={`${inputId}-${key}`}
            data-testid={`voice-${key}`}
            onClick={() => onChange({ [key]: !settings[key] })}
            className={`relative h-6 w-11 shrink-0 rounded-full transition-colors ${settings[key] ? 'bg-accent' : 'bg-input'}`}
          >
            <span className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition-[left] ${settings[key] ? 'left-[22px]' : 'left-0.5'}`} aria-hidden="true" />
          </button>
        </div>
      ))}
      <MicTest settings={settings} openMeter={openMeter} intervalMs={meterIntervalMs} />
    </section>
  );
}

function MicTest({ settings, openMeter, intervalMs }: { settings: VoiceSettings; openMeter: VoiceSettingsProps['openMeter']; intervalMs: number }) {
  const [meter, setMeter] = useState<MicMeter | null>(null);
  const [level, setLevel] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (meter === null) return;
    const id = setInterval(() => setLevel(meter.level()), intervalMs);
    return () => {
      clearInterval(id);
      meter.close();
    };
  }, [meter, intervalMs]);
  return (
    <div className="flex items-center gap-3">
      <Button
        variant="secondary"
        data-testid="mic-test"
        onClick={() => {
          setFailure(null);
          if (meter !== null) {
            setMeter(null);
            setLevel(0);
            return;
          }
          openMeter(settings).then(setMeter, (error: unknown) => setFailure(errorMessage(error)));
        }}
      >
        {meter === null ? 'Test microphone' : 'Stop test'}
      </Button>
      <div role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)} data-testid="mic-level" className="h-2 flex-1 overflow-hidden rounded bg-input">
        <div className="h-full bg-online" style={{ width: `${Math.round(level * 100)}%` }} />
      </div>
      {failure !== null && (
        <span role="alert" className="text-xs text-danger" data-testid="mic-test-error">
          {failure}
        </span>
      )}
    </div>
  );
}

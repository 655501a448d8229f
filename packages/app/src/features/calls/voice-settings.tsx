import { useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/error-message';
import type { VoiceSettings } from './call-types';
import type { MicMeter } from './mic-meter';

export interface VoiceSettingsProps {
  settings: VoiceSettings;
  onChange: (patch: Partial<VoiceSettings>) => void;
  /** navigator.mediaDevices.enumerateDevices in the app. */
  listDevices: () => Promise<Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>[]>;
  /** Opens the microphone for the level meter (openMicMeter in the app). */
  openMeter: (settings: VoiceSettings) => Promise<MicMeter>;
  /** How often the meter redraws. */
  meterIntervalMs?: number;
}

const PROCESSING: { key: 'echoCancellation' | 'noiseSuppression' | 'autoGainControl'; label: string }[] = [
  { key: 'echoCancellation', label: 'Echo cancellation' },
  { key: 'noiseSuppression', label: 'Noise suppression' },
  { key: 'autoGainControl', label: 'Automatic gain control' },
];

/** Settings → Voice (VOICE-01): microphone and speaker, the three processing switches, a microphone test. */
export function VoiceSettingsSection({ settings, onChange, listDevices, openMeter, meterIntervalMs = 100 }: VoiceSettingsProps) {
  const [devices, setDevices] = useState<Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>[]>([]);
  const inputId = useId();
  const outputId = useId();
  useEffect(() => {
    let live = true;
    listDevices().then(
      (list) => live && setDevices(list),
      () => live && setDevices([]),
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
      <select id={inputId} data-testid="voice-input" value={settings.inputDeviceId ?? ''} onChange={(e) => onChange({ inputDeviceId: e.target.value === '' ? null : e.target.value })} className="rounded border border-line bg-input px-2 py-1 text-sm">
        <option value="">System default</option>
        {inputs.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `Microphone ${i + 1}`}
          </option>
        ))}
      </select>
      <label htmlFor={outputId} className="text-sm font-medium text-strong">
        Speaker
      </label>
      <select id={outputId} data-testid="voice-output" value={settings.outputDeviceId ?? ''} onChange={(e) => onChange({ outputDeviceId: e.target.value === '' ? null : e.target.value })} className="rounded border border-line bg-input px-2 py-1 text-sm">
        <option value="">System default</option>
        {outputs.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `Speaker ${i + 1}`}
          </option>
        ))}
      </select>
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

import { qualityRows } from './call-format';
import type { CallControlsApi } from './use-call-view';
import { useCallView } from './use-call-view';

/** Live call quality, refreshed every second while the call is up (VOICE-03). */
export function CallQualityPanel({ engine }: { engine: CallControlsApi }) {
  const { state, quality } = useCallView(engine);
  if (state.phase !== 'in-call') return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs" data-testid="call-quality" aria-label="Call quality">
      {qualityRows(quality).map((row) => (
        <div key={row.testId} className="contents">
          <dt className="text-muted">{row.label}</dt>
          <dd className="text-strong" data-testid={row.testId}>
            {row.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

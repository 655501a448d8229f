import { Phone } from 'lucide-react';
import { useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { useCallView, type CallControlsApi } from './use-call-view';

/** The conversation header's call button (VOICE-01): disabled while a call is on or the contact is unreachable. */
export function CallButton({ engine, contactName, reachable }: { engine: CallControlsApi; contactName: string; reachable: boolean }) {
  const { state } = useCallView(engine);
  const [failure, setFailure] = useState<string | null>(null);
  const busy = state.phase !== 'idle' && state.phase !== 'ended';
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        data-testid="call-button"
        aria-label={`Call ${contactName}`}
        title={reachable ? `Call ${contactName}` : `${contactName} is not reachable`}
        disabled={busy || !reachable}
        onClick={() => {
          setFailure(null);
          engine.call().catch((error: unknown) => setFailure(errorMessage(error)));
        }}
        className="rounded p-2 text-muted hover:bg-hover hover:text-strong disabled:cursor-not-allowed disabled:opacity-50"
      >
        <Phone size={18} aria-hidden="true" />
      </button>
      {failure !== null && (
        <span role="alert" className="text-xs text-danger" data-testid="call-button-error">
          {failure}
        </span>
      )}
    </span>
  );
}

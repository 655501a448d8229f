import { X } from 'lucide-react';
import { useMemo } from 'react';
import { useActions, useAppState } from '../../store/app-context';
import { formatBytes, percentOf } from './file-format';

/**
 * FILE-01: files still being handed from the window to the desktop before they are offered, above
 * the composer: a progress bar each, Cancel; one that failed says why, with Dismiss.
 */
export function UploadTray({ publicKey }: { publicKey: string }) {
  const actions = useActions();
  const all = useAppState((s) => s.uploads);
  const uploads = useMemo(() => Object.values(all).filter((u) => u.peer === publicKey), [all, publicKey]);
  if (uploads.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1 px-4 pb-1" aria-label="Files being prepared" data-testid="upload-tray">
      {uploads.map((u) => {
        const percent = percentOf(u.sent, u.size);
        return (
          <li key={u.key} data-testid="upload-item" data-failed={u.error !== null} className="flex items-center gap-3 rounded bg-panel px-3 py-1.5 text-xs">
            <div className="min-w-0 flex-1">
              {u.error === null ? (
                <>
                  <div className="truncate text-normal">
                    Preparing <span className="font-semibold text-strong">{u.name}</span> — {percent} % of {formatBytes(u.size)}
                  </div>
                  <div
                    role="progressbar"
                    aria-label={`Preparing ${u.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={percent}
                    data-testid="upload-progress"
                    className="mt-1 h-1 w-full overflow-hidden rounded-full bg-input"
                  >
                    <div className="h-full bg-accent" style={{ width: `${percent}%` }} />
                  </div>
                </>
              ) : (
                <p role="alert" data-testid="upload-error" className="text-tone-bad">
                  Could not send {u.name}: {u.error}
                </p>
              )}
            </div>
            <button
              type="button"
              data-testid="upload-cancel"
              aria-label={u.error === null ? `Cancel sending ${u.name}` : `Dismiss ${u.name}`}
              onClick={() => actions.cancelUpload(u.key)}
              className="rounded p-1 text-muted hover:bg-hover hover:text-strong"
            >
              <X size={14} aria-hidden="true" />
            </button>
          </li>
        );
      })}
    </ul>
  );
}

import type { FileTransferView } from '@discordopus/protocol/bridge';
import { FileText, FolderOpen } from 'lucide-react';
import { memo, useState } from 'react';
import { Avatar } from '../../components/ui/avatar';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { timeOfDay } from '../conversation/message-items';
import { formatBytes } from './file-format';
import { PreviewImage } from './preview-image';
import { stateText, TransferProgress } from './transfer-status';

export interface FileItemProps {
  transfer: FileTransferView;
  groupStart: boolean;
  /** Who sent it (the user's own name or the contact's). */
  authorName: string;
  /** The contact's name ("Waiting for Bob to accept"). */
  contactName: string;
  /** The avatar's colour seed (the sender's key). */
  authorKey: string;
}

/** The image the sender made (FILE-03), shown inline on both sides. */
function InlinePreview({ transfer }: { transfer: FileTransferView }) {
  if (transfer.preview === null) return null;
  return <PreviewImage preview={transfer.preview} alt={`Preview of ${transfer.name}`} className="block max-h-72 max-w-full rounded object-contain" testId="file-preview" />;
}

/**
 * FILE-01..03: a file in the conversation's timeline, Discord style: an image shows its inline
 * preview, any other file an icon, its name and size; under it, what is happening with it and the
 * buttons that apply: Accept / Decline for an offer received, Cancel on both sides until it is
 * done (also while paused by a dropped link, FILE-02), Open folder for a received file once it is complete.
 */
export const FileItem = memo(function FileItem({ transfer, groupStart, authorName, contactName, authorKey }: FileItemProps) {
  const actions = useActions();
  const progress = useAppState((s) => s.fileProgress[transfer.id]);
  const interruption = useAppState((s) => s.fileInterruptions[transfer.id]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { state, direction } = transfer;
  const own = direction === 'out';

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  const canCancel = state === 'accepted' || (state === 'offered' && own);
  return (
    <div
      data-testid="file-item"
      data-id={transfer.id}
      data-state={state}
      data-direction={direction}
      className={`group relative flex gap-3 px-4 ${groupStart ? 'mt-3 pt-0.5' : ''} py-0.5 hover:bg-hover/40 focus-within:bg-hover/40`}
    >
      <div className="w-10 shrink-0">{groupStart && <Avatar name={authorName} seed={authorKey} size={40} />}</div>
      <div className="min-w-0 flex-1">
        {groupStart && (
          <div className="flex items-baseline gap-2">
            <span className={`text-sm font-semibold ${own ? 'text-accent' : 'text-strong'}`}>{authorName}</span>
            <time dateTime={new Date(transfer.sentAt).toISOString()} className="text-xs text-muted">
              {timeOfDay(transfer.sentAt)}
            </time>
          </div>
        )}
        <div
          role="group"
          aria-label={`File ${transfer.name}, ${formatBytes(transfer.size)}`}
          className={`mt-0.5 flex w-full max-w-md flex-col gap-2 rounded-lg border border-line p-3 ${own ? 'bg-accent/10' : 'bg-panel'}`}
        >
          <InlinePreview transfer={transfer} />
          <div className="flex items-center gap-3">
            <FileText size={32} aria-hidden="true" className="shrink-0 text-muted" />
            <div className="min-w-0 flex-1">
              <div data-testid="file-name" className="truncate text-sm font-medium text-strong" title={transfer.name}>
                {transfer.name}
              </div>
              <div data-testid="file-size" className="text-xs text-muted">
                {formatBytes(transfer.size)}
              </div>
            </div>
          </div>
          {transfer.caption !== null && transfer.caption !== '' && (
            <p data-testid="file-caption" className="whitespace-pre-wrap break-words text-sm text-normal">
              {transfer.caption}
            </p>
          )}
          {state === 'accepted' ? (
            <TransferProgress transfer={transfer} progress={progress} interruption={interruption} contactName={contactName} />
          ) : (
            <p data-testid="file-status" className={`text-xs ${state === 'failed' ? 'text-tone-bad' : state === 'complete' ? 'text-tone-good' : 'text-muted'}`}>
              {stateText(transfer, contactName)}
              {state === 'complete' && !own && transfer.finalName !== null && (
                <span data-testid="file-saved-as"> — saved as {transfer.finalName}</span>
              )}
            </p>
          )}
          <div className="flex flex-wrap gap-2 empty:hidden">
            {state === 'offered' && !own && (
              <>
                <Button data-testid="file-accept" aria-label={`Accept ${transfer.name}`} disabled={busy} onClick={() => void run(() => actions.acceptFile(transfer.id))} className="px-3 py-1">
                  Accept
                </Button>
                <Button data-testid="file-decline" aria-label={`Decline ${transfer.name}`} variant="secondary" disabled={busy} onClick={() => void run(() => actions.declineFile(transfer.id))} className="px-3 py-1">
                  Decline
                </Button>
              </>
            )}
            {canCancel && (
              <Button data-testid="file-cancel" aria-label={`Cancel ${transfer.name}`} variant="secondary" disabled={busy} onClick={() => void run(() => actions.cancelFile(transfer.id))} className="px-3 py-1">
                Cancel
              </Button>
            )}
            {state === 'complete' && !own && (
              <Button data-testid="file-open-folder" variant="secondary" disabled={busy} onClick={() => void run(() => actions.openFileFolder(transfer.id))} className="px-3 py-1">
                <FolderOpen size={14} aria-hidden="true" />
                Open folder
              </Button>
            )}
          </div>
          {problem !== null && (
            <p role="alert" data-testid="file-problem" className="text-xs text-tone-bad">
              {problem}
            </p>
          )}
        </div>
      </div>
    </div>
  );
});

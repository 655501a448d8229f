import { FILE_BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { codePoints } from '@discordopus/protocol/messages';
import { FILE_LIMITS } from '@discordopus/protocol/files';
import { FileText } from 'lucide-react';
import { createContext, type FormEvent, useContext, useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { formatBytes } from './file-format';
import { PreviewImage } from './preview-image';
import { type ImagePreview, makeImagePreview, type PreviewMaker } from './make-preview';

/** How the window makes image previews; tests without a canvas hand in their own. */
export const PreviewMakerContext = createContext<PreviewMaker>(makeImagePreview);

/** A file the user chose, dropped or pasted, waiting in the confirm sheet. */
export interface PickedFile {
  file: Blob;
  name: string;
}

/** What the sheet hands back for each file to send. */
export interface ConfirmedFile extends PickedFile {
  caption: string | null;
  preview: ImagePreview | null;
}

/** Why a file cannot be sent at all (null when it can). */
export function fileProblem(file: Blob): string | null {
  if (file.size > FILE_BRIDGE_LIMITS.maxUploadBytes) return `Too large to send: the limit is ${formatBytes(FILE_BRIDGE_LIMITS.maxUploadBytes)}.`;
  return null;
}

/**
 * FILE-01: the small confirm sheet before sending: each file's name and size (and the preview
 * that will go with an image), an optional caption, Send and Cancel. The caption goes with the
 * first file. Files over the size limit are named and left out; at most
 * FILE_BRIDGE_LIMITS.maxUploads files go at once.
 */
export function SendFilesDialog(props: { contactName: string; files: readonly PickedFile[]; onSend(files: ConfirmedFile[]): void; onClose(): void }) {
  const { contactName, files, onSend, onClose } = props;
  const makePreview = useContext(PreviewMakerContext);
  const taken = files.slice(0, FILE_BRIDGE_LIMITS.maxUploads);
  const [previews, setPreviews] = useState<(ImagePreview | null)[] | null>(null);
  const [caption, setCaption] = useState('');
  const captionId = useId();

  useEffect(() => {
    let live = true;
    void Promise.all(taken.map((f) => (fileProblem(f.file) === null ? makePreview(f.file).catch(() => null) : Promise.resolve(null)))).then((made) => {
      if (live) setPreviews(made);
    });
    return () => {
      live = false;
    };
    // The sheet is made for one set of files (a new set mounts a new sheet): previews are made once.
  }, []);

  const sendable = taken.filter((f) => fileProblem(f.file) === null);
  const captionChars = codePoints(caption.trim());
  const captionTooLong = captionChars > FILE_LIMITS.maxCaptionChars;
  const ready = previews !== null && sendable.length > 0 && !captionTooLong;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    const text = caption.trim();
    let first = true;
    const confirmed: ConfirmedFile[] = [];
    taken.forEach((f, i) => {
      if (fileProblem(f.file) !== null) return;
      confirmed.push({ ...f, caption: first && text !== '' ? text : null, preview: previews[i] ?? null });
      first = false;
    });
    onSend(confirmed);
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={taken.length === 1 ? `Send a file to ${contactName}` : `Send ${taken.length} files to ${contactName}`} testId="send-files-dialog">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <ul className="flex max-h-80 flex-col gap-2 overflow-y-auto" aria-label="Files to send">
          {taken.map((f, i) => {
            const problem = fileProblem(f.file);
            const preview = previews?.[i] ?? null;
            return (
              <li key={i} data-testid="send-file-entry" className="flex items-center gap-3 rounded bg-panel p-2">
                {preview !== null ? (
                  <PreviewImage preview={preview} alt={`Preview of ${f.name}`} className="h-16 w-16 shrink-0 rounded object-cover" testId="send-file-preview" />
                ) : (
                  <FileText size={32} aria-hidden="true" className="shrink-0 text-muted" />
                )}
                <div className="min-w-0 flex-1">
                  <div data-testid="send-file-name" className="truncate text-sm font-medium text-strong" title={f.name}>
                    {f.name}
                  </div>
                  <div data-testid="send-file-size" className="text-xs text-muted">
                    {formatBytes(f.file.size)}
                  </div>
                  {problem !== null && (
                    <div role="alert" data-testid="send-file-problem" className="text-xs text-tone-bad">
                      {problem}
                    </div>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
        {files.length > taken.length && (
          <p data-testid="send-files-dropped" className="text-xs text-tone-warn">
            Up to {FILE_BRIDGE_LIMITS.maxUploads} files go at once; the other {files.length - taken.length} were left out.
          </p>
        )}
        <div className="flex flex-col gap-1.5">
          <label htmlFor={captionId} className="text-xs font-bold uppercase tracking-wide text-muted">
            Caption (optional)
          </label>
          <textarea
            id={captionId}
            data-testid="send-file-caption"
            value={caption}
            rows={2}
            onChange={(e) => setCaption(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
            }}
            aria-invalid={captionTooLong || undefined}
            className="w-full resize-none rounded bg-input px-3 py-2 text-sm text-strong outline-none focus-visible:ring-2 focus-visible:ring-accent"
          />
          {captionTooLong && (
            <p role="alert" className="text-xs text-tone-bad">
              A caption is at most {FILE_LIMITS.maxCaptionChars} characters; this one has {captionChars}.
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} data-testid="send-files-cancel">
            Cancel
          </Button>
          <Button type="submit" data-testid="send-files-confirm" disabled={!ready} busy={previews === null}>
            Send
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

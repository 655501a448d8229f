import { Upload as UploadIcon } from 'lucide-react';
import { type ClipboardEvent, type DragEvent, type ReactNode, useCallback, useRef, useState } from 'react';
import { useActions } from '../../store/app-context';
import { type ConfirmedFile, type PickedFile, SendFilesDialog } from './send-files-dialog';

export interface FileSending {
  /** Spread on the conversation's element: drag and drop, paste. */
  handlers: {
    onDragEnter(event: DragEvent): void;
    onDragOver(event: DragEvent): void;
    onDragLeave(event: DragEvent): void;
    onDrop(event: DragEvent): void;
    onPaste(event: ClipboardEvent): void;
  };
  /** Open the confirm sheet for these files (the attach button). */
  pick(files: readonly File[]): void;
  /** The drop overlay and the confirm sheet, to render inside the conversation. */
  layer: ReactNode;
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

const picked = (files: readonly File[]): PickedFile[] => files.map((file) => ({ file, name: file.name === '' ? 'file' : file.name }));

/**
 * FILE-01: the three ways a file gets into a conversation (drag and drop with a "Drop to send to
 * <name>" overlay, pasting an image with Ctrl+V, the composer's attach button), all through the
 * same confirm sheet; then each confirmed file is uploaded and offered, one after the other.
 */
export function useFileSending(publicKey: string, contactName: string): FileSending {
  const actions = useActions();
  const [dragging, setDragging] = useState(false);
  const [pending, setPending] = useState<PickedFile[] | null>(null);
  const depth = useRef(0);

  const pick = useCallback((files: readonly File[]) => {
    if (files.length > 0) setPending(picked(files));
  }, []);

  const send = useCallback(
    (files: ConfirmedFile[]) => {
      setPending(null);
      void (async () => {
        for (const f of files) {
          // A failure shows in the upload tray; the next file still goes.
          await actions.sendFile(publicKey, f.file, { caption: f.caption, preview: f.preview, name: f.name }).catch(() => undefined);
        }
      })();
    },
    [actions, publicKey],
  );

  const handlers: FileSending['handlers'] = {
    onDragEnter: (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth.current++;
      setDragging(true);
    },
    onDragOver: (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event) => {
      if (!hasFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      pick(Array.from(event.dataTransfer.files));
    },
    onPaste: (event) => {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault();
      pick(files);
    },
  };

  const layer = (
    <>
      {dragging && (
        <div
          data-testid="drop-overlay"
          className="pointer-events-none absolute inset-2 z-30 flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed border-accent bg-base/90 text-strong"
        >
          <UploadIcon size={40} aria-hidden="true" className="text-accent" />
          <p className="text-lg font-semibold">Drop to send to {contactName}</p>
        </div>
      )}
      {pending !== null && <SendFilesDialog contactName={contactName} files={pending} onSend={send} onClose={() => setPending(null)} />}
    </>
  );

  return { handlers, pick, layer };
}

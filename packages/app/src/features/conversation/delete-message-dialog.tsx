import type { Message } from '@discordopus/protocol/bridge';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useState } from 'react';
import { Button } from '../../components/ui/button';
import { errorMessage } from '../../lib/error-message';

/** MSG-03: deleting an own message asks first; both sides keep "message deleted" in its place. */
export function DeleteMessageDialog({ message, onConfirm, onClose }: { message: Message; onConfirm(): Promise<unknown>; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <AlertDialog.Root open onOpenChange={(open) => !open && onClose()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/70" />
        <AlertDialog.Content
          data-testid="delete-message-dialog"
          className="fixed left-1/2 top-1/2 z-50 w-[92vw] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-base p-6 shadow-2xl"
        >
          <AlertDialog.Title className="text-xl font-semibold text-strong">Delete message?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-muted">
            It is deleted for both of you; “message deleted” stays in its place.
          </AlertDialog.Description>
          <blockquote className="mt-3 max-h-32 overflow-hidden rounded bg-panel px-3 py-2 text-sm text-normal">{message.text}</blockquote>
          {failure !== null && (
            <p role="alert" className="mt-3 text-sm text-danger">
              {failure}
            </p>
          )}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="ghost">Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant="danger" busy={busy} onClick={() => void remove()} data-testid="delete-message-confirm">
              Delete
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../lib/error-message';
import { Button } from './button';

export interface ConfirmDialogProps {
  /** The dialog's test id; its confirm button gets `<testId minus "-dialog">-confirm`. */
  testId: `${string}-dialog`;
  title: string;
  description: ReactNode;
  /** Shown between the description and the buttons (e.g. the quoted message). */
  children?: ReactNode;
  confirmLabel: string;
  /** The action; the dialog closes when it resolves and shows its error when it rejects. */
  onConfirm(): Promise<unknown>;
  onClose(): void;
  onCloseAutoFocus?: (event: Event) => void;
}

/**
 * One "are you sure?" dialog for destructive actions (remove or block a contact, delete a message):
 * Cancel, and a danger button that stays busy while the action runs and shows its failure in words.
 */
export function ConfirmDialog({ testId, title, description, children, confirmLabel, onConfirm, onClose, onCloseAutoFocus }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function confirm() {
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
          data-testid={testId}
          {...(onCloseAutoFocus ? { onCloseAutoFocus } : {})}
          className="fixed left-1/2 top-1/2 z-50 w-[92vw] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-base p-6 shadow-2xl"
        >
          <AlertDialog.Title className="text-xl font-semibold text-strong">{title}</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-muted">{description}</AlertDialog.Description>
          {children}
          {failure !== null && (
            <p role="alert" className="mt-3 text-sm text-danger">
              {failure}
            </p>
          )}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="ghost">Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant="danger" busy={busy} onClick={() => void confirm()} data-testid={`${testId.slice(0, -'-dialog'.length)}-confirm`}>
              {confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

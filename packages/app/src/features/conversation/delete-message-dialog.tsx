import type { Message } from '@discordopus/protocol/bridge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';

/** MSG-03: deleting an own message asks first; both sides keep "message deleted" in its place. */
export function DeleteMessageDialog({ message, onConfirm, onClose }: { message: Message; onConfirm(): Promise<unknown>; onClose(): void }) {
  return (
    <ConfirmDialog
      testId="delete-message-dialog"
      title="Delete message?"
      description="It is deleted for both of you; “message deleted” stays in its place."
      confirmLabel="Delete"
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <blockquote className="mt-3 max-h-32 overflow-hidden rounded bg-panel px-3 py-2 text-sm text-normal">{message.text}</blockquote>
    </ConfirmDialog>
  );
}

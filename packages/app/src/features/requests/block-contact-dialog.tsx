import type { Contact } from '@discordopus/protocol/bridge';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useState } from 'react';
import { Button } from '../../components/ui/button';
import { contactName } from '../../lib/contact-display';
import { errorMessage } from '../../lib/error-message';
import { useActions } from '../../store/app-context';

/** CONT-06: blocking a contact asks first; it removes them and refuses everything from them. */
export function BlockContactDialog({ contact, onClose, onCloseAutoFocus }: { contact: Contact; onClose(): void; onCloseAutoFocus?: (event: Event) => void }) {
  const actions = useActions();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const name = contactName(contact);

  async function block() {
    setBusy(true);
    setFailure(null);
    try {
      await actions.blockUser(contact.publicKey);
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
          data-testid="block-contact-dialog"
          onCloseAutoFocus={onCloseAutoFocus}
          className="fixed left-1/2 top-1/2 z-50 w-[92vw] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-base p-6 shadow-2xl"
        >
          <AlertDialog.Title className="text-xl font-semibold text-strong">Block {name}?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-muted">
            They are removed from your contacts, and their requests, direct links and messages are refused. You can unblock them in Settings → Blocked users.
          </AlertDialog.Description>
          {failure !== null && (
            <p role="alert" className="mt-3 text-sm text-danger">
              {failure}
            </p>
          )}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="ghost">Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant="danger" busy={busy} onClick={() => void block()} data-testid="block-contact-confirm">
              Block
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

import type { Contact } from '@discordopus/protocol/bridge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { contactName } from '../../lib/contact-display';
import { useActions } from '../../store/app-context';

/** CONT-06: blocking a contact asks first; it removes them and refuses everything from them. */
export function BlockContactDialog({ contact, onClose, onCloseAutoFocus }: { contact: Contact; onClose(): void; onCloseAutoFocus?: (event: Event) => void }) {
  const actions = useActions();
  return (
    <ConfirmDialog
      testId="block-contact-dialog"
      title={`Block ${contactName(contact)}?`}
      description="They are removed from your contacts, and their requests, direct links and messages are refused. You can unblock them in Settings → Blocked users."
      confirmLabel="Block"
      onConfirm={() => actions.blockUser(contact.publicKey)}
      onClose={onClose}
      {...(onCloseAutoFocus ? { onCloseAutoFocus } : {})}
    />
  );
}

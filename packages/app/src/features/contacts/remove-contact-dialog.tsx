import type { Contact } from '@discordopus/protocol/bridge';
import { ConfirmDialog } from '../../components/ui/confirm-dialog';
import { contactName } from '../../lib/contact-display';
import { useActions } from '../../store/app-context';

/** CONT-03: removing asks first; the contact stops seeing the user's presence. */
export function RemoveContactDialog({ contact, onClose, onCloseAutoFocus }: { contact: Contact; onClose(): void; onCloseAutoFocus?: (event: Event) => void }) {
  const actions = useActions();
  return (
    <ConfirmDialog
      testId="remove-contact-dialog"
      title={`Remove ${contactName(contact)}?`}
      description="They will no longer see when you are online, and you will not see them. You can add them again later with their ID."
      confirmLabel="Remove contact"
      onConfirm={() => actions.removeContact(contact.publicKey)}
      onClose={onClose}
      {...(onCloseAutoFocus ? { onCloseAutoFocus } : {})}
    />
  );
}

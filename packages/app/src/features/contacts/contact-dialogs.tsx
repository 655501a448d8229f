import { returnFocusTo } from '../../lib/focus-return';
import { AddContactDialog } from './add-contact-dialog';
import type { ContactDialog } from './contact-dialog-state';
import { RemoveContactDialog } from './remove-contact-dialog';
import { RenameContactDialog } from './rename-contact-dialog';
import { VerifyContactDialog } from './verify-contact-dialog';
import { BlockContactDialog } from '../requests/block-contact-dialog';

/** Renders whichever contact dialog is open. */
export function ContactDialogs({ dialog, onClose, returnFocus }: { dialog: ContactDialog | null; onClose(): void; returnFocus: () => HTMLElement | null }) {
  const onCloseAutoFocus = returnFocusTo(returnFocus);
  const props = { onClose, onCloseAutoFocus };
  return (
    <>
      <AddContactDialog open={dialog?.kind === 'add'} onOpenChange={(open) => !open && onClose()} onCloseAutoFocus={onCloseAutoFocus} />
      {dialog?.kind === 'rename' && <RenameContactDialog key={dialog.contact.publicKey} contact={dialog.contact} {...props} />}
      {dialog?.kind === 'remove' && <RemoveContactDialog key={dialog.contact.publicKey} contact={dialog.contact} {...props} />}
      {dialog?.kind === 'block' && <BlockContactDialog key={dialog.contact.publicKey} contact={dialog.contact} {...props} />}
      {dialog?.kind === 'verify' && <VerifyContactDialog key={dialog.contact.publicKey} contact={dialog.contact} {...props} />}
    </>
  );
}

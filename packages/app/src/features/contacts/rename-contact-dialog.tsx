import { BRIDGE_LIMITS, type Contact } from '@discordopus/protocol/bridge';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { TextField } from '../../components/ui/text-field';
import { errorMessage } from '../../lib/error-message';
import { useActions } from '../../store/app-context';

/** CONT-04: set or clear the nickname only this user sees. */
export function RenameContactDialog({ contact, onClose, onCloseAutoFocus }: { contact: Contact; onClose(): void; onCloseAutoFocus?: (event: Event) => void }) {
  const actions = useActions();
  const [nickname, setNickname] = useState(contact.nickname ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const trimmed = nickname.trim();
      await actions.renameContact(contact.publicKey, trimmed === '' ? null : trimmed);
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Rename contact" description="A nickname only you see. Leave it empty to show their ID." testId="rename-contact-dialog" onCloseAutoFocus={onCloseAutoFocus}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <TextField
          label="Nickname"
          value={nickname}
          autoFocus
          maxLength={BRIDGE_LIMITS.nicknameChars}
          onChange={(e) => setNickname(e.target.value)}
          data-testid="rename-contact-input"
          error={failure}
        />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={busy} data-testid="rename-contact-submit">
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

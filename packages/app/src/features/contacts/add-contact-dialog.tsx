import { REQUEST_LIMITS, requestNoteSchema } from '@discordopus/protocol';
import { BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { CheckCircle2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { TextField } from '../../components/ui/text-field';
import { errorMessage } from '../../lib/error-message';
import { useActions, useAppState } from '../../store/app-context';
import { userIdInputState } from './user-id-input';

/** CONT-01: add a contact by ID; a mistyped ID is caught inline while typing (IDEN-02). */
export function AddContactDialog({ open, onOpenChange, onCloseAutoFocus }: { open: boolean; onOpenChange(open: boolean): void; onCloseAutoFocus?: (event: Event) => void }) {
  const actions = useActions();
  const selectContact = useAppState((s) => s.selectContact);
  const ownUserId = useAppState((s) => s.identity?.userId ?? null);
  const [userId, setUserId] = useState('');
  const [nickname, setNickname] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [tried, setTried] = useState(false);

  const state = userIdInputState(userId, ownUserId);
  const fieldError =
    state.kind === 'invalid' || state.kind === 'own-id'
      ? state.message
      : tried && state.kind === 'empty'
        ? 'Paste the ID your contact gave you.'
        : tried && state.kind === 'typing'
          ? `The ID is incomplete: ${state.message}`
          : null;

  function reset(next: boolean) {
    if (!next) {
      setUserId('');
      setNickname('');
      setNote('');
      setFailure(null);
      setTried(false);
      setBusy(false);
    }
    onOpenChange(next);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setFailure(null);
    if (state.kind !== 'valid') return;
    const trimmedNote = note.trim();
    // CONT-06: a note the request could not carry is refused here, before anything is stored.
    const noteCheck = requestNoteSchema.safeParse(trimmedNote);
    if (!noteCheck.success) return setFailure(`The note cannot be sent: ${noteCheck.error.issues[0]?.message ?? 'it breaks the note rules'}.`);
    setBusy(true);
    try {
      const trimmedNickname = nickname.trim();
      const contact = await actions.addContact(userId.trim(), trimmedNickname === '' ? undefined : trimmedNickname, trimmedNote === '' ? undefined : trimmedNote);
      selectContact(contact.publicKey);
      reset(false);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset} title="Add a contact" description="Paste the DiscordOpus ID your contact gave you." testId="add-contact-dialog" onCloseAutoFocus={onCloseAutoFocus} wide>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <TextField
          label="User ID"
          value={userId}
          autoFocus
          spellCheck={false}
          autoComplete="off"
          placeholder="dopus1…"
          maxLength={BRIDGE_LIMITS.userIdInputChars}
          className="font-mono"
          onChange={(e) => setUserId(e.target.value)}
          data-testid="add-contact-id-input"
          error={fieldError}
          hint={
            state.kind === 'valid' ? (
              <span className="flex items-center gap-1 text-tone-good" data-testid="add-contact-id-ok">
                <CheckCircle2 size={12} aria-hidden="true" /> Valid ID
              </span>
            ) : state.kind === 'typing' ? (
              state.message
            ) : (
              'An ID starts with dopus1. Its checksum catches typing mistakes.'
            )
          }
        />
        <TextField
          label="Nickname (optional)"
          value={nickname}
          maxLength={BRIDGE_LIMITS.nicknameChars}
          onChange={(e) => setNickname(e.target.value)}
          data-testid="add-contact-nickname-input"
          hint="Only you see it."
        />
        <TextField
          label="Note (optional)"
          value={note}
          maxLength={REQUEST_LIMITS.noteChars}
          onChange={(e) => setNote(e.target.value)}
          data-testid="add-contact-note-input"
          placeholder="Hi, it's me from…"
          hint="Sent, encrypted, with your request, so they know who is asking."
        />
        {failure !== null && (
          <p role="alert" className="rounded bg-danger/10 px-3 py-2 text-sm text-danger" data-testid="add-contact-failure">
            {failure}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => reset(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={busy} disabled={state.kind === 'invalid' || state.kind === 'own-id'} data-testid="add-contact-submit">
            Add contact
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

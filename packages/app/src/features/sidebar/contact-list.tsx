import type { Contact } from '@discordopus/protocol/bridge';
import { UserPlus } from 'lucide-react';
import { useNow } from '../../lib/use-now';
import { useAppState } from '../../store/app-context';
import type { OpenContactDialog } from '../contacts/contact-dialog-state';
import { ContactRow } from './contact-row';
import { isPending } from '../requests/pending';

const isOnline = (c: Contact) => c.onlineStatus === 'online' || c.onlineStatus === 'away' || c.onlineStatus === 'busy';

/** CONT-02: contacts grouped online / offline, with loading and empty states. */
export function ContactList({ openDialog }: { openDialog: OpenContactDialog }) {
  const contacts = useAppState((s) => s.contacts);
  const selected = useAppState((s) => s.selectedContactKey);
  const selectContact = useAppState((s) => s.selectContact);
  const now = useNow(30_000);

  if (contacts === null) {
    return (
      <div data-testid="contacts-loading" aria-busy="true" className="flex flex-col gap-2 px-2 py-2">
        <span className="sr-only">Loading contacts…</span>
        {[0, 1, 2].map((i) => (
          <div key={i} className="flex animate-pulse items-center gap-3 px-2 py-1.5" aria-hidden="true">
            <span className="h-8 w-8 rounded-full bg-hover" />
            <span className="h-3 flex-1 rounded bg-hover" />
          </div>
        ))}
      </div>
    );
  }

  if (contacts.length === 0) {
    return (
      <div data-testid="contacts-empty" className="flex flex-col items-center gap-3 px-4 py-8 text-center">
        <UserPlus size={32} className="text-muted" aria-hidden="true" />
        <p className="text-sm text-muted">No contacts yet. Add someone by their DiscordOpus ID.</p>
        <button type="button" onClick={() => openDialog({ kind: 'add' })} className="text-sm font-medium text-accent hover:underline">
          Add a contact
        </button>
      </div>
    );
  }

  // CONT-06: contacts who have not added the user back are neither online nor offline to us.
  const groups = [
    { title: 'Online', items: contacts.filter(isOnline) },
    { title: 'Offline', items: contacts.filter((c) => !isOnline(c) && !isPending(c)) },
    { title: 'Pending', items: contacts.filter(isPending) },
  ].filter((g) => g.items.length > 0);

  return (
    <nav aria-label="Contacts" data-testid="contact-list" className="flex flex-col gap-3 px-2 py-2">
      {groups.map((group) => (
        <section key={group.title} aria-label={`${group.title} contacts`}>
          <h3 className="px-2 pb-1 text-[11px] font-bold uppercase tracking-wide text-muted">
            {group.title} — {group.items.length}
          </h3>
          <ul className="flex flex-col gap-0.5">
            {group.items.map((contact) => (
              <ContactRow
                key={contact.publicKey}
                contact={contact}
                now={now}
                selected={contact.publicKey === selected}
                onSelect={() => selectContact(contact.publicKey)}
                openDialog={openDialog}
              />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

import { BadgeCheck, Pencil, ShieldCheck, Trash2, UserPlus, Users } from 'lucide-react';
import { Avatar } from '../../components/ui/avatar';
import { Button } from '../../components/ui/button';
import { CopyButton } from '../../components/ui/copy-button';
import { StatusDot } from '../../components/ui/status-dot';
import { CONTACT_STATUS_LABELS, contactName } from '../../lib/contact-display';
import { useNow } from '../../lib/use-now';
import { useAppState } from '../../store/app-context';
import { SecurityWarningBanner } from '../links/security-warning-banner';
import { contactSubtitle } from '../sidebar/contact-row';
import type { OpenContactDialog } from './contact-dialog-state';

/** The main panel: the selected contact's details and actions, or a welcome when none is selected. */
export function ContactDetails({ openDialog, compact = false }: { openDialog: OpenContactDialog; /** Beside a conversation (MSG-01): a narrow panel. */ compact?: boolean }) {
  const contact = useAppState((s) => s.contacts?.find((c) => c.publicKey === s.selectedContactKey) ?? null);
  const identity = useAppState((s) => s.identity);
  const contactCount = useAppState((s) => s.contacts?.length ?? 0);
  const now = useNow(30_000);

  if (contact === null) {
    return (
      <div data-testid="welcome-panel" className="flex h-full flex-col items-center justify-center gap-4 p-8 text-center">
        <span className="flex h-20 w-20 items-center justify-center rounded-full bg-sidebar text-muted">
          <Users size={40} aria-hidden="true" />
        </span>
        <h2 className="text-xl font-semibold text-strong">{identity === null ? 'Welcome' : `Welcome, ${identity.displayName}`}</h2>
        <p className="max-w-md text-sm text-muted" data-testid="welcome-text">
          {contactCount === 0
            ? 'Give your ID to a friend and add theirs. When you have added each other, you see each other’s status here in real time.'
            : `You have ${contactCount} contact${contactCount === 1 ? '' : 's'}. Choose one on the left to see their details. To add someone, give them your ID and add theirs.`}
        </p>
        {identity !== null && (
          <div className="flex max-w-full flex-col items-center gap-2 rounded-md bg-sidebar p-4">
            <span className="text-xs font-bold uppercase tracking-wide text-muted">Your ID</span>
            <code className="break-all font-mono text-sm text-strong" data-testid="welcome-own-id">
              {identity.userId}
            </code>
            <CopyButton text={identity.userId} label="Copy ID" testId="welcome-copy-id" />
          </div>
        )}
        <Button onClick={() => openDialog({ kind: 'add' })}>
          <UserPlus size={16} aria-hidden="true" /> Add a contact
        </Button>
      </div>
    );
  }

  const name = contactName(contact);
  return (
    <article data-testid="contact-details" data-public-key={contact.publicKey} className={`mx-auto flex max-w-2xl flex-col ${compact ? 'gap-4 p-4' : 'gap-6 p-8'}`}>
      <SecurityWarningBanner contact={contact} />
      <header className="flex items-center gap-4">
        <Avatar name={name} seed={contact.publicKey} size={compact ? 56 : 80}>
          <StatusDot status={contact.onlineStatus} label={CONTACT_STATUS_LABELS[contact.onlineStatus]} className="h-5 w-5" surface="base" />
        </Avatar>
        <div className="min-w-0">
          <h2 className="flex items-center gap-2 truncate text-2xl font-semibold text-strong">
            <span className="truncate">{name}</span>
            {contact.verified && <BadgeCheck size={22} className="shrink-0 text-accent" role="img" aria-label="Verified" />}
          </h2>
          <p className="text-sm text-muted" data-testid="contact-details-status">
            {contactSubtitle(contact, now)}
          </p>
        </div>
      </header>
      <section className="flex flex-col gap-2 rounded-md bg-sidebar p-4">
        <h3 className="text-xs font-bold uppercase tracking-wide text-muted">User ID</h3>
        <div className="flex items-center gap-2">
          <code className="min-w-0 flex-1 break-all font-mono text-sm text-strong">{contact.userId}</code>
          <CopyButton text={contact.userId} label="Copy ID" compact />
        </div>
        <p className="text-xs text-muted">Added {new Date(contact.addedAt).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' })}</p>
      </section>
      <section className="flex flex-col gap-2 rounded-md bg-sidebar p-4">
        <h3 className="text-xs font-bold uppercase tracking-wide text-muted">Verification</h3>
        <p className="text-sm">
          {contact.verified
            ? 'You compared safety numbers with this contact: nobody can pretend to be them.'
            : 'Compare safety numbers to make sure nobody is pretending to be this contact.'}
        </p>
        <div>
          <Button variant={contact.verified ? 'secondary' : 'primary'} onClick={() => openDialog({ kind: 'verify', contact })} data-testid="details-verify">
            <ShieldCheck size={16} aria-hidden="true" /> {contact.verified ? 'View safety number' : 'Verify safety number'}
          </Button>
        </div>
      </section>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => openDialog({ kind: 'rename', contact })} data-testid="details-rename">
          <Pencil size={16} aria-hidden="true" /> Rename
        </Button>
        {/* Quiet and apart from Rename: removing asks again, but should not be the loudest button (issue 15 item 15). */}
        <Button variant="ghost" className="ml-auto text-tone-bad hover:bg-danger/10" onClick={() => openDialog({ kind: 'remove', contact })} data-testid="details-remove">
          <Trash2 size={16} aria-hidden="true" /> Remove
        </Button>
      </div>
    </article>
  );
}

import type { Contact } from '@discordopus/protocol/bridge';
import * as Menu from '@radix-ui/react-dropdown-menu';
import { Ban, BadgeCheck, MoreVertical, Paperclip, Pencil, ShieldCheck, ShieldOff, Trash2 } from 'lucide-react';
import { Avatar } from '../../components/ui/avatar';
import { StatusDot } from '../../components/ui/status-dot';
import { CONTACT_STATUS_LABELS, contactName } from '../../lib/contact-display';
import { relativeTime } from '../../lib/relative-time';
import type { OpenContactDialog } from '../contacts/contact-dialog-state';
import { MissedCallBadge } from '../calls/call-log-view';
import { SecurityWarningBadge } from '../links/link-indicator';
import { useAppState } from '../../store/app-context';

const ITEM = 'flex cursor-pointer select-none items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent data-[highlighted]:text-white';

/**
 * The line under a contact's name: their status, or when they were last seen. A contact never
 * seen online says so (issue 15 item 12), never "Last seen just now".
 */
export function contactSubtitle(contact: Contact, now: number): string {
  // CONT-06: they have not added the user back, so the server shows nothing of them.
  if (contact.pending === true && (contact.onlineStatus === 'offline' || contact.onlineStatus === 'unknown')) return 'Pending · waiting for them to add you';
  if (contact.onlineStatus !== 'offline') return CONTACT_STATUS_LABELS[contact.onlineStatus];
  // A last-seen time from before the contact was added cannot be ours to show.
  if (contact.lastSeenAt === null || contact.lastSeenAt < contact.addedAt) return 'Offline · not seen yet';
  return `Last seen ${relativeTime(contact.lastSeenAt, now)}`;
}

export interface ContactRowProps {
  contact: Contact;
  selected: boolean;
  now: number;
  onSelect(): void;
  openDialog: OpenContactDialog;
}

/** CONT-02: one contact in the sidebar, with a status dot, nickname, verified badge and last seen. */
export function ContactRow({ contact, selected, now, onSelect, openDialog }: ContactRowProps) {
  const name = contactName(contact);
  const offline = contact.onlineStatus === 'offline' || contact.onlineStatus === 'unknown';
  // MSG-04: unread messages in the conversation with this contact.
  const unread = useAppState((s) => s.unread[contact.publicKey] ?? 0);
  const muted = useAppState((s) => s.muted[contact.publicKey] === true);
  // FILE-01: files this contact offered that wait for an answer (those the window has seen).
  const offers = useAppState((s) => {
    let count = 0;
    for (const t of Object.values(s.transfers)) if (t.peer === contact.publicKey && t.direction === 'in' && t.state === 'offered') count++;
    return count;
  });
  return (
    <li
      data-testid="contact-row"
      data-public-key={contact.publicKey}
      data-user-id={contact.userId}
      data-status={contact.onlineStatus}
      data-verified={contact.verified}
      data-pending={contact.pending === true}
      className={`group flex items-center rounded ${selected ? 'bg-hover' : 'hover:bg-hover/60'}`}
    >
      <button
        type="button"
        onClick={onSelect}
        aria-current={selected || undefined}
        className="flex min-w-0 flex-1 items-center gap-3 rounded px-2 py-1.5 text-left"
      >
        <Avatar name={name} seed={contact.publicKey} size={32}>
          <StatusDot status={contact.onlineStatus} label={CONTACT_STATUS_LABELS[contact.onlineStatus]} />
        </Avatar>
        <span className="min-w-0 flex-1">
          <span className={`flex items-center gap-1 truncate text-sm font-medium ${offline && !selected ? 'text-muted' : 'text-strong'}`}>
            <span className="truncate" data-testid="contact-name">
              {name}
            </span>
            {contact.verified && <BadgeCheck size={14} className="shrink-0 text-accent" role="img" aria-label="Verified" data-testid="verified-badge" />}
            <SecurityWarningBadge publicKey={contact.publicKey} />
          </span>
          <span className="block truncate text-xs text-muted" data-testid="contact-subtitle">
            {contactSubtitle(contact, now)}
          </span>
        </span>
        {offers > 0 && (
          <span
            data-testid="file-offers-badge"
            role="img"
            aria-label={offers === 1 ? '1 file waiting for you' : `${offers} files waiting for you`}
            title={offers === 1 ? '1 file waiting for you' : `${offers} files waiting for you`}
            className="ml-1 flex shrink-0 items-center gap-0.5 rounded-full bg-accent px-1.5 text-xs font-bold leading-5 text-white"
          >
            <Paperclip size={12} aria-hidden="true" />
            {offers > 9 ? '9+' : offers}
          </span>
        )}
        {unread > 0 && (
          <span
            data-testid="unread-badge"
            aria-label={`${unread} unread`}
            className={`ml-1 shrink-0 rounded-full px-1.5 text-xs font-bold leading-5 text-white ${muted ? 'bg-offline' : 'bg-danger'}`}
          >
            {unread > 99 ? '99+' : unread}
          </span>
        )}
        <MissedCallBadge publicKey={contact.publicKey} />
      </button>
      <Menu.Root>
        <Menu.Trigger
          aria-label={`Actions for ${name}`}
          data-testid="contact-actions"
          className="mr-1 rounded p-1 text-muted opacity-0 hover:text-strong focus-visible:opacity-100 group-hover:opacity-100 data-[state=open]:opacity-100"
        >
          <MoreVertical size={16} aria-hidden="true" />
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content align="end" className="z-50 w-52 rounded-md border border-line bg-panel p-1.5 text-normal shadow-xl">
            <Menu.Item className={ITEM} data-testid="contact-action-rename" onSelect={() => openDialog({ kind: 'rename', contact })}>
              <Pencil size={14} aria-hidden="true" /> Rename
            </Menu.Item>
            <Menu.Item className={ITEM} data-testid="contact-action-verify" onSelect={() => openDialog({ kind: 'verify', contact })}>
              {contact.verified ? <ShieldOff size={14} aria-hidden="true" /> : <ShieldCheck size={14} aria-hidden="true" />}
              {contact.verified ? 'Safety number (verified)' : 'Verify safety number'}
            </Menu.Item>
            <Menu.Separator className="my-1 h-px bg-line" />
            <Menu.Item
              className={`${ITEM} text-danger data-[highlighted]:bg-danger`}
              data-testid="contact-action-remove"
              onSelect={() => openDialog({ kind: 'remove', contact })}
            >
              <Trash2 size={14} aria-hidden="true" /> Remove contact
            </Menu.Item>
            <Menu.Item className={`${ITEM} text-danger data-[highlighted]:bg-danger`} data-testid="contact-action-block" onSelect={() => openDialog({ kind: 'block', contact })}>
              <Ban size={14} aria-hidden="true" /> Block
            </Menu.Item>
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>
    </li>
  );
}

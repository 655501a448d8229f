import type { Contact } from '@discordopus/protocol/bridge';
import { CONTACT_STATUS_LABELS } from '../../lib/contact-display';

/** CONT-06: a contact who has not added the user back, and so shows no status of its own. */
export function isPending(contact: Contact): boolean {
  return contact.pending === true && (contact.onlineStatus === 'offline' || contact.onlineStatus === 'unknown');
}

/** The status word for a contact: "Pending" instead of "Offline" until they add the user back. */
export function contactStatusLabel(contact: Contact): string {
  return isPending(contact) ? 'Pending' : CONTACT_STATUS_LABELS[contact.onlineStatus];
}

import { shortUserId } from '@discordopus/protocol';
import type { Contact, ContactStatus, OwnStatusValue } from '@discordopus/protocol/bridge';

/**
 * The name a contact is shown by (the core's `shownName` rule, P2P-05): the local nickname, else
 * the display name from the contact's signed card, else a short form of the ID.
 */
export function contactName(contact: Contact): string {
  return contact.nickname ?? contact.displayName ?? shortUserId(contact.userId);
}

export const CONTACT_STATUS_LABELS: Record<ContactStatus, string> = {
  online: 'Online',
  away: 'Away',
  busy: 'Do not disturb',
  offline: 'Offline',
  unknown: 'Status unknown',
};

export const OWN_STATUS_OPTIONS: ReadonlyArray<{ value: OwnStatusValue; label: string; explanation: string }> = [
  { value: 'online', label: 'Online', explanation: 'Your contacts see that you are here.' },
  { value: 'away', label: 'Away', explanation: 'Your contacts see that you are not at the keyboard.' },
  { value: 'busy', label: 'Do not disturb', explanation: 'Your contacts see that you do not want to be interrupted.' },
  { value: 'invisible', label: 'Invisible', explanation: 'You appear offline to everyone, but stay connected.' },
];

export function ownStatusLabel(status: OwnStatusValue): string {
  return OWN_STATUS_OPTIONS.find((o) => o.value === status)?.label ?? status;
}

/** Tailwind text colour of a status dot (its shape is drawn in currentColor). Invisible shows as offline (grey). */
export function statusDotClass(status: ContactStatus | OwnStatusValue): string {
  switch (status) {
    case 'online':
      return 'text-online';
    case 'away':
      return 'text-away';
    case 'busy':
      return 'text-busy';
    case 'offline':
    case 'invisible':
      return 'text-offline';
    case 'unknown':
      return 'text-offline/60';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** The shape of a status dot, so that statuses differ by more than colour (issue 15 item 11). */
export type StatusShape = 'dot' | 'moon' | 'bar' | 'ring';

export function statusShape(status: ContactStatus | OwnStatusValue): StatusShape {
  switch (status) {
    case 'online':
      return 'dot';
    case 'away':
      return 'moon';
    case 'busy':
      return 'bar';
    case 'offline':
    case 'invisible':
    case 'unknown':
      return 'ring';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** A color for an avatar made from a key or ID, so each person keeps the same color. */
export function avatarColor(seed: string): string {
  const palette = ['#5865f2', '#3ba55c', '#faa61a', '#ed4245', '#eb459e', '#1abc9c', '#e67e22', '#9b59b6'];
  // FNV-1a: cheap, and spreads similar keys over the palette.
  let hash = 0x811c9dc5;
  for (const char of seed) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return palette[(((hash >>> 16) ^ hash) >>> 0) % palette.length] as string;
}

import type { ClientMessage, ContactStatus, OwnStatus } from '@discordopus/protocol';

/** How a contact looks to us: a visible status, offline, or unknown while we are disconnected. */
export type ContactPresence = ContactStatus;

export type PresenceManagerEvents = {
  /** One contact's presence changed (PRES-02). */
  presenceChanged: (e: { publicKeyHex: string; status: ContactPresence; lastSeenAt: number | null }) => void;
  /** Every contact became `unknown` at once (we lost the server). */
  presenceReset: (e: { reason: string }) => void;
  /** The user's own status changed (PRES-01). */
  statusChanged: (e: { status: OwnStatus; prev: OwnStatus }) => void;
  /** A message for the server (`contacts.set`, `presence.set`), paced within the session budget. */
  outgoing: (e: { message: ClientMessage }) => void;
};

import type { ConnectionInfo, ContactStatus, OwnStatusValue } from '@discordopus/protocol/bridge';
import { ownStatusLabel } from './contact-display';

export interface OwnPresence {
  /** What the dot shows: the chosen status only while connected, else offline. */
  dot: OwnStatusValue | ContactStatus;
  /** The words beside it. */
  label: string;
  connected: boolean;
}

/**
 * How your own status is shown (issue 15 item 5): the status you chose only reaches your
 * contacts while connected, so while signing in, backing off or failed the dot is an offline
 * ring and says so, and the choice is kept for when the connection is back.
 */
export function ownPresence(status: OwnStatusValue, connection: ConnectionInfo | null): OwnPresence {
  const state = connection?.state ?? 'connecting';
  if (state === 'connected') return { dot: status, label: ownStatusLabel(status), connected: true };
  const label = state === 'connecting' || state === 'authenticating' ? 'Connecting…' : 'Not connected';
  return { dot: 'offline', label, connected: false };
}

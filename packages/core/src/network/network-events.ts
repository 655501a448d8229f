import type { OwnStatus } from '@discordopus/protocol';
import type { ContactsChangeReason } from '../contacts/contacts-store';
import type { ContactPresence } from '../presence/presence-events';
import type { SettingChange } from '../settings/settings-schema';
import type { ConnectionStatus } from '../signaling/signaling-events';
import type { IceConfiguration } from '../ice/ice-config';

/** The one event stream of the client core, for the desktop bridge, the CLI and tests. */
export type NetworkServiceEvents = {
  /** The signaling connection changed state (UI-01 connection indicator). */
  connectionChanged: (e: ConnectionStatus) => void;
  /** The contact list changed: added, removed, renamed, verified, or presence. */
  contactsChanged: (e: { reason: ContactsChangeReason; publicKey: string | null }) => void;
  /** One contact's presence changed (PRES-02). `publicKey` is hex. */
  presenceChanged: (e: { publicKey: string; status: ContactPresence; lastSeenAt: number | null }) => void;
  /** Every contact's presence became `unknown` at once (the server connection was lost). */
  presenceReset: (e: { reason: string }) => void;
  /** The user's own status changed (PRES-01). */
  statusChanged: (e: { status: OwnStatus }) => void;
  settingsChanged: (e: SettingChange) => void;
  /** New ICE servers (a new welcome, or refreshed TURN credentials) (INFR-02). */
  iceChanged: (e: IceConfiguration) => void;
};

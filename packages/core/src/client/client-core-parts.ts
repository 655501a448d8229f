import type { ContactRequestManager, RequestPorts } from '../contact-requests';
import type { ContactsStore } from '../contacts/contacts-store';
import type { ClientFilesOptions } from './client-files';
import type { IceManager } from '../ice/ice-manager';
import type { Logger } from '../logging/logger';
import type { MessageStore } from '../messages/message-store';
import type { PresenceManager } from '../presence/presence-manager';
import type { SettingsStore } from '../settings/settings-store';
import type { Clock } from '../signaling/clock';
import type { Signer, SignalingClient } from '../signaling/signaling-client';
import type { LinkPart, LinkPorts } from './client-links';
import type { MessageTunables } from './client-messages';
import type { MessageLinkSource } from './message-link-port';

/** The signaling servers in force and whether plain ws:// may go to a remote one (INFR-04). */
export interface SignalingServers {
  urls: readonly string[];
  allowInsecureRemote: boolean;
}

/** Everything the root wires together, built by createClientCore() (or by a test). */
export interface ClientCoreParts {
  /** The unlocked identity: signs the login and, later, link set-up. */
  signer: Signer;
  contacts: ContactsStore;
  settings: SettingsStore;
  presence: PresenceManager;
  ice: IceManager;
  /** The servers to use now: the profile's setting or this run's override. Read at every connect. */
  signalingServers: () => SignalingServers;
  /** A signaling client for these servers (throws SignalingError for unusable URLs). */
  createSignaling: (servers: SignalingServers) => SignalingClient;
  /**
   * Builds the link manager (P2P-01) from the ports the root offers; null: a core without
   * direct links (a test of the signaling parts alone).
   */
  links: ((ports: LinkPorts) => LinkPart & MessageLinkSource) | null;
  /** Builds the contact-request manager (CONT-06); null: a core without requests (older tests). */
  requests?: ((ports: RequestPorts) => ContactRequestManager) | null;
  /** Conversations and messages on the unlocked vault's connection (MSG-01..05). */
  messages: MessageStore;
  messageTunables?: MessageTunables;
  /** File transfers (FILE-01..03) on the vault's file store; absent: a core without files. */
  files?: Pick<ClientFilesOptions, 'store' | 'homeDir' | 'tunables' | 'channelOpenTimeoutMs'> | null;
  clock: Clock;
  /** Store the user's own display name (the vault); returns the name as stored (P2P-05). */
  setDisplayName: (name: string) => string;
  logger: Logger;
}

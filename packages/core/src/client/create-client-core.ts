import { ContactRequestManager, RequestSealer, type RequestPorts, type RequestStore } from '../contact-requests';
import type { ContactsStore } from '../contacts/contacts-store';
import type { FileStore } from '../files/file-store';
import type { FileTunables } from '../files/transfer-tunables';
import type { Identity } from '../identity/identity';
import type { ProfileCardFrame } from '../identity/profile-card';
import type { IceServer } from '../ice/ice-config';
import { IceManager } from '../ice/ice-manager';
import type { CreateLinkTransport } from '../links/engine/link-transport';
import { LinkManager } from '../links/link-manager';
import type { MessageStore } from '../messages/message-store';
import type { LinkTunables } from '../links/link-options';
import { SignalSealer } from '../links/sealing';
import { type Logger, silentLogger } from '../logging/logger';
import { PresenceManager } from '../presence/presence-manager';
import type { SettingsStore } from '../settings/settings-store';
import { type Clock, systemClock } from '../signaling/clock';
import type { ReconnectPolicyOptions } from '../signaling/reconnect-policy';
import { SignalingClient } from '../signaling/signaling-client';
import type { CreateSignalingSocket } from '../signaling/signaling-socket';
import { ClientCore, type SignalingServers } from './client-core';
import type { MessageTunables } from './client-messages';
import type { LinkPorts } from './client-links';

/** What the client core needs of an unlocked vault. */
export interface UnlockedVault {
  readonly identity: Identity;
  readonly contacts: ContactsStore;
  readonly settings: SettingsStore;
  /** Conversations and messages (MSG-01..05). */
  readonly messages: MessageStore;
  /** FILE-01..03: file transfers (absent: a core without files). */
  readonly files?: FileStore;
  /** CONT-06: contact requests and blocked keys (absent: a core without requests). */
  readonly requests?: RequestStore;
  /** P2P-05: store the user's own display name (throws IdentityError for one not allowed). */
  setDisplayName(displayName: string): Identity;
  /** P2P-05: the user's display name, signed, as sent on every link. */
  profileCard(): ProfileCardFrame;
}

/** How direct links are built (P2P-01); every field has a default. */
export interface ClientLinkOptions {
  /** Bind ICE to one local address (tests and benchmarks: 127.0.0.1). */
  bindAddress?: string;
  tunables?: Partial<LinkTunables>;
  /** The engine factory (default node-datachannel). */
  createPeerConnection?: CreateLinkTransport;
  /** Secure random bytes (link ids, ping nonces). */
  randomBytes?: (n: number) => Uint8Array;
  /** Hands the built link manager to a test or a benchmark (its stats, frames); the app never needs it. */
  onCreated?: (manager: LinkManager) => void;
}

export interface ClientCoreOptions {
  vault: UnlockedVault;
  /**
   * The signaling servers for this run, read at every connect; null means the profile's
   * `network.signalingUrls` setting. The desktop launcher's `--server` and embedded server come
   * in here, without writing anything to the profile. Call `refreshServers()` after it changes.
   */
  signalingUrls?: (() => readonly string[] | null) | null;
  /**
   * Allow ws:// to non-loopback servers for this run only (the CLI's --insecure), whatever the
   * profile's `network.allowInsecureRemote` setting says. null: use the setting.
   */
  allowInsecureRemote?: boolean | null;
  /** Expected server identity when it differs from the URL dialed (a server behind a proxy). */
  expectedServerId?: string | null;
  createSocket?: CreateSignalingSocket;
  clock?: Clock;
  random?: () => number;
  policy?: ReconnectPolicyOptions;
  /**
   * STUN servers used when neither the user nor the signaling server names one (default: the
   * built-in public ones). Tests pass [] so nothing leaves 127.0.0.1.
   */
  defaultIceServers?: readonly IceServer[];
  /** CONT-06: this side's request budget and resend period (tests); defaults in the manager. */
  requests?: { perMinute?: number; burst?: number; resendIntervalMs?: number; /** The manager's own timers (tests). */ clock?: Clock };
  /** Direct links (P2P-01); null builds a core without them (tests of the signaling parts). */
  links?: ClientLinkOptions | null;
  /** File transfers: the home folder for the default downloads folder, engine tunables (tests). */
  files?: { homeDir?: string; tunables?: Partial<FileTunables>; channelOpenTimeoutMs?: number };
  /** The message engine's timers and window (tests shorten them). */
  messages?: MessageTunables;
  logger?: Logger;
}

/** Build the client core's graph from an unlocked vault (see ClientCore for the wiring). */
export function createClientCore(options: ClientCoreOptions): ClientCore {
  const { identity, contacts, settings } = options.vault;
  const logger = (options.logger ?? silentLogger).child({ component: 'network' });
  const clock = options.clock ?? systemClock;
  const presence = new PresenceManager({
    contacts: {
      publicKeysHex: () => contacts.publicKeys(),
      presenceOf: (key) => contacts.presenceOf(key),
      updatePresence: (key, status, lastSeenAt) => void contacts.updatePresence(key, status, lastSeenAt),
      markAllUnknown: () => contacts.markAllUnknown(),
      batch: (fn) => contacts.batch(fn),
    },
    ownStatus: {
      get: () => settings.get('presence.status'),
      set: (status) => settings.set('presence.status', status),
    },
    clock,
    logger,
  });
  const ice = new IceManager({
    user: { servers: () => settings.get('network.iceServers'), relayOnly: () => settings.get('network.relayOnly') },
    ...(options.defaultIceServers ? { defaultServers: options.defaultIceServers } : {}),
    clock,
  });
  const signalingServers = (): SignalingServers => ({
    urls: options.signalingUrls?.() ?? settings.get('network.signalingUrls'),
    allowInsecureRemote: options.allowInsecureRemote ?? settings.get('network.allowInsecureRemote'),
  });
  const createSignaling = (servers: SignalingServers): SignalingClient =>
    new SignalingClient({
      urls: servers.urls,
      allowInsecureRemote: servers.allowInsecureRemote,
      signer: identity,
      loginStatus: () => presence.status,
      expectedServerId: options.expectedServerId ?? null,
      ...(options.createSocket ? { createSocket: options.createSocket } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      clock,
      logger: logger.child({ component: 'signaling' }),
    });
  const linkOptions = options.links === undefined ? {} : options.links;
  const links =
    linkOptions === null
      ? null
      : (ports: LinkPorts): LinkManager => {
          const manager = new LinkManager({
            identity,
            sealer: new SignalSealer({ identity, clock }),
            sendSignal: ports.sendSignal,
            contacts: { isMutualOnline: ports.isMutualOnline, isContact: ports.isContact },
            iceConfiguration: ports.iceConfiguration,
            ownProfileCard: () => options.vault.profileCard(),
            clock,
            ...(options.random ? { random: options.random } : {}),
            ...(linkOptions.randomBytes ? { randomBytes: linkOptions.randomBytes } : {}),
            ...(linkOptions.bindAddress !== undefined ? { bindAddress: linkOptions.bindAddress } : {}),
            // The user's idle period; tunables given here (tests, bench) win over it.
            tunables: { idleTimeoutMs: settings.get('links.idleCloseMs'), ...linkOptions.tunables },
            ...(linkOptions.createPeerConnection ? { createPeerConnection: linkOptions.createPeerConnection } : {}),
            logger,
          });
          linkOptions.onCreated?.(manager);
          return manager;
        };
  const requestStore = options.vault.requests;
  const requests =
    requestStore === undefined
      ? null
      : (ports: RequestPorts): ContactRequestManager => {
          const manager = new ContactRequestManager({
            sealer: new RequestSealer({ identity, clock }),
            store: requestStore,
            contacts,
            ports,
            ownProfileCard: () => options.vault.profileCard(),
            ...options.requests,
            clock: options.requests?.clock ?? clock,
            logger: logger.child({ component: 'requests' }),
          });
          presence.on('statusChanged', () => manager.handleOwnStatusChanged()); // nothing goes out while invisible
          return manager;
        };
  const setDisplayName = (name: string): string => options.vault.setDisplayName(name).displayName;
  return new ClientCore({
    signer: identity,
    contacts,
    settings,
    presence,
    ice,
    signalingServers,
    createSignaling,
    links,
    requests,
    messages: options.vault.messages,
    ...(options.vault.files ? { files: { store: options.vault.files, ...options.files } } : {}),
    ...(options.messages ? { messageTunables: options.messages } : {}),
    clock,
    setDisplayName,
    logger,
  });
}

import type { ConnectionInfo, Contact, Identity, LinkOverview, LinkStatus, OwnStatusValue, PresenceChange, SecurityWarning, Session, Settings } from '@discordopus/protocol/bridge';
import type { StateCreator } from 'zustand/vanilla';
import type { BridgeStatus } from '../bridge/bridge-client';
import type { MessagesSlice } from './message-slice';
import type { RequestsSlice } from '../features/requests/requests-slice';
import type { FilesSlice } from '../features/files/files-slice';

/**
 * The app's state, cut into typed slices (CONVENTIONS 12). Actions are plain setters: the
 * bridge layer decides what to set, components only read. `null` means "not loaded yet".
 */
export interface BridgeSlice {
  bridgeStatus: BridgeStatus;
  setBridgeStatus(status: BridgeStatus): void;
}

export interface SessionSlice {
  session: Session | null;
  setSession(session: Session): void;
}

export interface IdentitySlice {
  identity: Identity | null;
  setIdentity(identity: Identity | null): void;
}

export interface ContactsSlice {
  contacts: Contact[] | null;
  setContacts(contacts: Contact[]): void;
  upsertContact(contact: Contact): void;
  removeContact(publicKey: string): void;
  setContactPresence(change: PresenceChange): void;
}

export interface OwnStatusSlice {
  ownStatus: OwnStatusValue | null;
  setOwnStatus(status: OwnStatusValue): void;
}

export interface ConnectionSlice {
  connection: ConnectionInfo | null;
  setConnection(connection: ConnectionInfo): void;
}

export interface SettingsSlice {
  settings: Settings | null;
  setSettings(settings: Settings): void;
}

export interface SelectionSlice {
  /** The contact shown in the main panel (by public key). */
  selectedContactKey: string | null;
  selectContact(publicKey: string | null): void;
}

export interface LinksSlice {
  /** Each contact's direct link that is not closed, by public key (P2P-01, P2P-03). */
  links: Record<string, LinkStatus>;
  /** Contacts whose link failed authentication this run, until dismissed (P2P-02). */
  securityWarnings: Record<string, SecurityWarning>;
  setLink(link: LinkStatus): void;
  setLinkOverview(overview: LinkOverview): void;
  addSecurityWarning(warning: SecurityWarning): void;
  dismissSecurityWarning(publicKey: string): void;
}

export interface LoadErrorSlice {
  /** Why loading the profile's data failed, shown with a retry button. */
  loadError: string | null;
  setLoadError(message: string | null): void;
}

export type AppState = BridgeSlice &
  SessionSlice &
  IdentitySlice &
  ContactsSlice &
  OwnStatusSlice &
  ConnectionSlice &
  SettingsSlice &
  SelectionSlice &
  LinksSlice &
  RequestsSlice &
  LoadErrorSlice &
  MessagesSlice &
  FilesSlice;

export type Slice<T> = StateCreator<AppState, [], [], T>;

export const createBridgeSlice: Slice<BridgeSlice> = (set) => ({
  bridgeStatus: 'connecting',
  setBridgeStatus: (bridgeStatus) => set({ bridgeStatus }),
});

export const createSessionSlice: Slice<SessionSlice> = (set) => ({
  session: null,
  setSession: (session) => set({ session }),
});

export const createIdentitySlice: Slice<IdentitySlice> = (set) => ({
  identity: null,
  setIdentity: (identity) => set({ identity }),
});

const byAddedAt = (a: Contact, b: Contact) => a.addedAt - b.addedAt;

export const createContactsSlice: Slice<ContactsSlice> = (set) => ({
  contacts: null,
  setContacts: (contacts) => set({ contacts: [...contacts].sort(byAddedAt) }),
  upsertContact: (contact) =>
    set((state) => {
      const others = (state.contacts ?? []).filter((c) => c.publicKey !== contact.publicKey);
      return { contacts: [...others, contact].sort(byAddedAt) };
    }),
  removeContact: (publicKey) =>
    set((state) => ({
      contacts: (state.contacts ?? []).filter((c) => c.publicKey !== publicKey),
      selectedContactKey: state.selectedContactKey === publicKey ? null : state.selectedContactKey,
    })),
  setContactPresence: ({ publicKey, status, lastSeenAt }) =>
    set((state) => ({
      contacts:
        state.contacts?.map((c) => (c.publicKey === publicKey ? { ...c, onlineStatus: status, lastSeenAt: lastSeenAt ?? c.lastSeenAt } : c)) ??
        null,
    })),
});

export const createOwnStatusSlice: Slice<OwnStatusSlice> = (set) => ({
  ownStatus: null,
  setOwnStatus: (ownStatus) => set({ ownStatus }),
});

export const createConnectionSlice: Slice<ConnectionSlice> = (set) => ({
  connection: null,
  setConnection: (connection) => set({ connection }),
});

export const createSettingsSlice: Slice<SettingsSlice> = (set) => ({
  settings: null,
  setSettings: (settings) => set({ settings }),
});

export const createSelectionSlice: Slice<SelectionSlice> = (set) => ({
  selectedContactKey: null,
  selectContact: (selectedContactKey) => set({ selectedContactKey }),
});

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

export const createLinksSlice: Slice<LinksSlice> = (set) => ({
  links: {},
  securityWarnings: {},
  setLink: (link) => set((state) => ({ links: link.state === 'closed' ? without(state.links, link.publicKey) : { ...state.links, [link.publicKey]: link } })),
  setLinkOverview: ({ links, warnings }) =>
    set({
      links: Object.fromEntries(links.filter((l) => l.state !== 'closed').map((l) => [l.publicKey, l])),
      securityWarnings: Object.fromEntries(warnings.map((w) => [w.publicKey, w])),
    }),
  addSecurityWarning: (warning) => set((state) => ({ securityWarnings: { ...state.securityWarnings, [warning.publicKey]: warning } })),
  dismissSecurityWarning: (publicKey) => set((state) => ({ securityWarnings: without(state.securityWarnings, publicKey) })),
});

export const createLoadErrorSlice: Slice<LoadErrorSlice> = (set) => ({
  loadError: null,
  setLoadError: (loadError) => set({ loadError }),
});

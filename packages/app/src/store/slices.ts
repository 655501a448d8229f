import type { ConnectionInfo, Contact, Identity, OwnStatusValue, PresenceChange, Session, Settings } from '@discordopus/protocol/bridge';
import type { StateCreator } from 'zustand/vanilla';
import type { BridgeStatus } from '../bridge/bridge-client';

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
  LoadErrorSlice;

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

export const createLoadErrorSlice: Slice<LoadErrorSlice> = (set) => ({
  loadError: null,
  setLoadError: (loadError) => set({ loadError }),
});

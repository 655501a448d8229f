import type { BackupFile, Contact, Identity, OwnStatusValue, SafetyNumber, Settings } from '@discordopus/protocol/bridge';
import type { AppStore } from '../store/app-store';
import type { Bridge } from './bridge-client';
import { loadProfileData, loadSession } from './bridge-sync';
import { createMessageActions, type MessageActions } from './message-actions';
import { createRequestActions, type RequestActions } from '../features/requests/request-actions';
import { createFileActions, type FileActions } from '../features/files/file-actions';

/**
 * What the user can do, as one object handed to components through context. Each action calls
 * the core and then sets the store from the core's answer; errors propagate (a DiscordOpusError
 * with the core's code) so the component that asked can show them next to the field.
 */
export interface AppActions extends MessageActions, RequestActions, FileActions {
  createProfile(input: { displayName: string; passphrase: string }): Promise<Identity>;
  unlock(passphrase: string): Promise<Identity>;
  restoreProfile(input: { backupBase64: string; backupPassphrase: string; passphrase: string; displayName?: string }): Promise<Identity>;
  exportBackup(passphrase: string): Promise<BackupFile>;
  changePassphrase(current: string, next: string): Promise<void>;
  /** CONT-01, CONT-06: the note goes with the sealed request they see. */
  addContact(userId: string, nickname?: string, note?: string): Promise<Contact>;
  renameContact(publicKey: string, nickname: string | null): Promise<Contact>;
  removeContact(publicKey: string): Promise<void>;
  setVerified(publicKey: string, verified: boolean): Promise<Contact>;
  safetyNumber(publicKey: string): Promise<SafetyNumber>;
  setStatus(status: OwnStatusValue): Promise<void>;
  retryConnection(): Promise<void>;
  updateSettings(change: Partial<Settings>): Promise<Settings>;
  /** P2P-05: the own display name, sent to online contacts at once. */
  setDisplayName(displayName: string): Promise<Identity>;
  /**
   * P2P-01: open the link to a contact. Fails with LINK_UNREACHABLE when it is not online.
   * PRES-01: 'auto' (the default; e.g. its conversation was selected) fails with INVISIBLE while
   * the user is invisible; only 'user' (an explicit act) opens then.
   */
  openLink(publicKey: string, intent?: 'user' | 'auto'): Promise<void>;
  /** P2P-02: the user read the security warning on a contact. */
  dismissSecurityWarning(publicKey: string): Promise<void>;
  reload(): Promise<void>;
}

export function createAppActions(bridge: Bridge, store: AppStore): AppActions {
  const state = () => store.getState();

  async function opened(identity: Identity): Promise<Identity> {
    state().setIdentity(identity);
    const profileName = state().session?.profileName ?? null;
    state().setSession({ state: 'unlocked', profileName });
    await loadProfileData(bridge, store);
    return identity;
  }

  return {
    createProfile: async (input) => opened(await bridge.call('profile.create', input)),
    unlock: async (passphrase) => opened(await bridge.call('profile.unlock', { passphrase })),
    restoreProfile: async (input) => opened(await bridge.call('profile.restore', input)),
    exportBackup: (passphrase) => bridge.call('profile.exportBackup', { passphrase }),
    changePassphrase: async (current, next) => {
      await bridge.call('profile.changePassphrase', { current, next });
    },
    addContact: async (userId, nickname, note) => {
      const contact = await bridge.call('contacts.add', { userId, ...(nickname === undefined ? {} : { nickname }), ...(note === undefined ? {} : { note }) });
      state().upsertContact(contact);
      return contact;
    },
    renameContact: async (publicKey, nickname) => {
      const contact = await bridge.call('contacts.rename', { publicKey, nickname });
      state().upsertContact(contact);
      return contact;
    },
    removeContact: async (publicKey) => {
      await bridge.call('contacts.remove', { publicKey });
      state().removeContact(publicKey);
    },
    setVerified: async (publicKey, verified) => {
      const contact = await bridge.call('contacts.setVerified', { publicKey, verified });
      state().upsertContact(contact);
      return contact;
    },
    safetyNumber: (publicKey) => bridge.call('contacts.safetyNumber', { publicKey }),
    setStatus: async (status) => {
      const result = await bridge.call('presence.setStatus', { status });
      state().setOwnStatus(result.status);
    },
    retryConnection: async () => {
      await bridge.call('connection.retryNow', {});
    },
    updateSettings: async (change) => {
      const settings = await bridge.call('settings.set', change);
      state().setSettings(settings);
      return settings;
    },
    setDisplayName: async (displayName) => {
      const identity = await bridge.call('profile.setDisplayName', { displayName });
      state().setIdentity(identity);
      return identity;
    },
    openLink: async (publicKey, intent = 'auto') => {
      const link = await bridge.call('links.open', { publicKey, intent });
      // links.changed may already have said more (open, a round trip): never step back to connecting.
      if (state().links[publicKey] === undefined) state().setLink(link);
    },
    dismissSecurityWarning: async (publicKey) => {
      await bridge.call('links.dismissWarning', { publicKey });
      state().dismissSecurityWarning(publicKey);
    },
    reload: () => loadSession(bridge, store),
    ...createMessageActions(bridge, store),
    ...createRequestActions(bridge, store),
    ...createFileActions(bridge, store),
  };
}

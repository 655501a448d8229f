import type { AppStore } from '../store/app-store';
import { errorMessage } from '../lib/error-message';
import type { FileTransferView, Message } from '@discordopus/protocol/bridge';
import { loadRequests } from '../features/requests/request-actions';
import type { Bridge } from './bridge-client';

export interface SyncOptions {
  /** MSG-04: a contact's message arrived (the window may show a desktop notification). */
  onIncomingMessage?: (publicKey: string, message: Message) => void;
  /** FILE-01: a contact offered a file (the window may show a desktop notification). */
  onIncomingFile?: (transfer: FileTransferView, autoAccepted: boolean) => void;
}

/**
 * The bridge layer (CONVENTIONS 12): core events become store setters. Returns a function that
 * unsubscribes everything. When the bridge opens, the session and, if unlocked, the profile's
 * data are loaded.
 */
export function syncBridgeToStore(bridge: Bridge, store: AppStore, options: SyncOptions = {}): () => void {
  const state = () => store.getState();
  const unsubscribers = [
    // MSG-01, MSG-03, MSG-04: direct messages.
    bridge.on('messages.added', ({ publicKey, message }) => {
      state().upsertMessage(publicKey, message);
      if (!message.outgoing) options.onIncomingMessage?.(publicKey, message);
    }),
    bridge.on('messages.updated', ({ publicKey, message }) => state().upsertMessage(publicKey, message)),
    bridge.on('messages.receipt', (receipt) => state().applyReceipt(receipt)),
    bridge.on('conversations.unread', ({ publicKey, unread }) => state().setUnread(publicKey, unread)),
    bridge.on('messages.typing', ({ publicKey, typing }) => state().setTyping(publicKey, typing)),
    // FILE-01..03: file transfers.
    bridge.on('files.offered', ({ transfer, autoAccepted }) => {
      state().upsertTransfer(transfer);
      options.onIncomingFile?.(transfer, autoAccepted);
    }),
    bridge.on('files.progress', (progress) => state().setFileProgress(progress)),
    bridge.on('files.stateChanged', (change) => state().applyFileState(change)),
    bridge.on('files.interrupted', (interruption) => state().setFileInterrupted(interruption)),
    bridge.on('connection.changed', (info) => state().setConnection(info)),
    bridge.on('contacts.changed', ({ contacts }) => state().setContacts(contacts)),
    bridge.on('presence.changed', (change) => state().setContactPresence(change)),
    bridge.on('status.changed', ({ status }) => state().setOwnStatus(status)),
    bridge.on('settings.changed', (settings) => state().setSettings(settings)),
    bridge.on('links.changed', (link) => state().setLink(link)),
    bridge.on('security.warning', (warning) => state().addSecurityWarning(warning)),
    bridge.on('requests.changed', (requests) => state().setRequests(requests)),
    bridge.on('session.changed', (session) => {
      const wasUnlocked = state().session?.state === 'unlocked';
      state().setSession(session);
      if (session.state === 'unlocked' && !wasUnlocked) void loadProfileData(bridge, store);
    }),
    bridge.onStatus((status) => {
      state().setBridgeStatus(status);
      if (status === 'open') void loadSession(bridge, store);
    }),
  ];
  if (bridge.status === 'open') void loadSession(bridge, store);
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** Ask the core where we are; load the profile's data when it is open. */
export async function loadSession(bridge: Bridge, store: AppStore): Promise<void> {
  try {
    const session = await bridge.call('session.state', {});
    store.getState().setSession(session);
    if (session.state === 'unlocked') await loadProfileData(bridge, store);
  } catch (error) {
    store.getState().setLoadError(errorMessage(error));
  }
}

/** Everything the main screen shows, loaded together after unlocking. */
export async function loadProfileData(bridge: Bridge, store: AppStore): Promise<void> {
  const s = store.getState();
  s.setLoadError(null);
  try {
    const [identity, contactList, status, connection, settings, links, conversations] = await Promise.all([
      bridge.call('identity.get', {}),
      bridge.call('contacts.list', {}),
      bridge.call('presence.status', {}),
      bridge.call('connection.state', {}),
      bridge.call('settings.get', {}),
      bridge.call('links.list', {}),
      bridge.call('conversations.list', {}),
    ]);
    s.setIdentity(identity);
    s.setContacts(contactList.contacts);
    s.setOwnStatus(status.status);
    s.setConnection(connection);
    s.setSettings(settings);
    s.setLinkOverview(links);
    s.setConversationSummaries(conversations.conversations);
    await loadRequests(bridge, store);
  } catch (error) {
    s.setLoadError(errorMessage(error));
  }
}

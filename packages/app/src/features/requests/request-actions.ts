import type { Contact } from '@discordopus/protocol/bridge';
import type { Bridge } from '../../bridge/bridge-client';
import type { AppStore } from '../../store/app-store';

/** CONT-06: what the user can do with requests and blocked users. */
export interface RequestActions {
  /** Add the requester back; they become a contact (not pending: they asked). */
  acceptRequest(publicKey: string): Promise<Contact>;
  /** Hide the request; the sender is told nothing. */
  ignoreRequest(publicKey: string): Promise<void>;
  /** Block a requester or a contact: nothing from them reaches the user; a contact is removed. */
  blockUser(publicKey: string): Promise<void>;
  /** Settings → Blocked users. */
  unblockUser(publicKey: string): Promise<void>;
}

export function createRequestActions(bridge: Bridge, store: AppStore): RequestActions {
  const state = () => store.getState();
  const reload = async () => state().setRequests(await bridge.call('requests.list', {}));
  return {
    acceptRequest: async (publicKey) => {
      const contact = await bridge.call('requests.accept', { publicKey });
      state().upsertContact(contact);
      await reload();
      return contact;
    },
    ignoreRequest: async (publicKey) => {
      await bridge.call('requests.ignore', { publicKey });
      await reload();
    },
    blockUser: async (publicKey) => {
      await bridge.call('requests.block', { publicKey });
      if (state().contacts?.some((c) => c.publicKey === publicKey)) state().removeContact(publicKey);
      await reload();
    },
    unblockUser: async (publicKey) => {
      await bridge.call('requests.unblock', { publicKey });
      await reload();
    },
  };
}

/** Load the overview once the profile is open (the bridge layer calls this). */
export async function loadRequests(bridge: Bridge, store: AppStore): Promise<void> {
  store.getState().setRequests(await bridge.call('requests.list', {}));
}

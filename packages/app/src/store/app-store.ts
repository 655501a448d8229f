import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  type AppState,
  createBridgeSlice,
  createConnectionSlice,
  createContactsSlice,
  createIdentitySlice,
  createLinksSlice,
  createLoadErrorSlice,
  createOwnStatusSlice,
  createSelectionSlice,
  createSessionSlice,
  createSettingsSlice,
} from './slices';
import { createMessagesSlice } from './message-slice';
import { createRequestsSlice } from '../features/requests/requests-slice';
import { createFilesSlice } from '../features/files/files-slice';

export type AppStore = StoreApi<AppState>;

/** A fresh store: one per window, one per test (no module singleton). */
export function createAppStore(initial: Partial<AppState> = {}): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createBridgeSlice(...args),
    ...createSessionSlice(...args),
    ...createIdentitySlice(...args),
    ...createContactsSlice(...args),
    ...createOwnStatusSlice(...args),
    ...createConnectionSlice(...args),
    ...createSettingsSlice(...args),
    ...createSelectionSlice(...args),
    ...createLinksSlice(...args),
    ...createRequestsSlice(...args),
    ...createLoadErrorSlice(...args),
    ...createMessagesSlice(...args),
    ...createFilesSlice(...args),
    ...initial,
  }));
}

import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppActions } from '../bridge/app-actions';
import type { AppStore } from './app-store';
import type { AppState } from './slices';

interface AppContextValue {
  store: AppStore;
  actions: AppActions;
}

const AppContext = createContext<AppContextValue | null>(null);

/** Hands the store and the actions to the tree; each window (and each test) makes its own. */
export function AppProvider({ store, actions, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext.Provider value={{ store, actions }}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error('AppProvider is missing above this component.');
  return value;
}

/** Read part of the app state; re-renders when that part changes. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}

/** The store's current state, read when called (for event handlers, not for rendering). */
export function useStoreState(): () => AppState {
  const { store } = useAppContext();
  return store.getState;
}

export function useActions(): AppActions {
  return useAppContext().actions;
}

import { act, render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { App } from '../app';
import { type AppActions, createAppActions } from '../bridge/app-actions';
import { BridgeClient } from '../bridge/bridge-client';
import { syncBridgeToStore } from '../bridge/bridge-sync';
import { AppProvider } from '../store/app-context';
import { type AppStore, createAppStore } from '../store/app-store';
import { FakeCore, type FakeCoreOptions } from './fake-core';
import { inMemoryConnector } from './in-memory-connector';

export interface Harness extends RenderResult {
  core: FakeCore;
  store: AppStore;
  bridge: BridgeClient;
  actions: AppActions;
  user: UserEvent;
}

export type HarnessOptions = FakeCoreOptions;

/**
 * The app (or one component) wired exactly as main.tsx wires it, but to an in-memory core
 * that speaks the same bridge contract. Each call makes a fresh core, bridge and store.
 */
export function renderWithCore(ui: ReactElement = <App />, options: HarnessOptions = {}): Harness {
  const core = new FakeCore(options);
  const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
  const store = createAppStore();
  const actions = createAppActions(bridge, store);
  syncBridgeToStore(bridge, store);
  bridge.start();
  // With fake timers, drive clicks with fireEvent: user-event waits on real timers.
  const user = userEvent.setup();
  const result = render(
    <AppProvider store={store} actions={actions}>
      {ui}
    </AppProvider>,
  );
  return { ...result, core, store, bridge, actions, user };
}

/** Let the in-memory bridge deliver everything in flight (it uses microtasks, not timers). */
export async function flushBridge(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 50; i++) await Promise.resolve();
  });
}

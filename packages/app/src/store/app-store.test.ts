import { describe, expect, it } from 'vitest';
import { fakeContact } from '../test-support/fake-core';
import { createAppStore } from './app-store';

describe('app store (CONVENTIONS 12)', () => {
  it('starts empty: nothing is loaded, the bridge is connecting', () => {
    const state = createAppStore().getState();
    expect(state.bridgeStatus).toBe('connecting');
    expect(state.session).toBeNull();
    expect(state.contacts).toBeNull();
    expect(state.connection).toBeNull();
  });

  it('gives every caller its own store', () => {
    const a = createAppStore();
    const b = createAppStore();
    a.getState().setOwnStatus('busy');
    expect(b.getState().ownStatus).toBeNull();
  });

  it('CONT-02: keeps contacts in the order they were added, replacing on update', () => {
    const store = createAppStore();
    const [first, second] = [fakeContact(2, { addedAt: 10 }), fakeContact(3, { addedAt: 5 })];
    store.getState().setContacts([first, second]);
    expect(store.getState().contacts?.map((c) => c.addedAt)).toEqual([5, 10]);
    store.getState().upsertContact({ ...first, nickname: 'Bob' });
    expect(store.getState().contacts?.map((c) => c.nickname)).toEqual([null, 'Bob']);
  });

  it('PRES-02: applies one contact presence change and keeps the last seen time when none is given', () => {
    const store = createAppStore();
    const bob = fakeContact(2, { onlineStatus: 'offline', lastSeenAt: 1000 });
    store.getState().setContacts([bob, fakeContact(3)]);
    store.getState().setContactPresence({ publicKey: bob.publicKey, status: 'away', lastSeenAt: null });
    expect(store.getState().contacts?.[0]).toMatchObject({ onlineStatus: 'away', lastSeenAt: 1000 });
    expect(store.getState().contacts?.[1]?.onlineStatus).toBe('unknown');
  });

  it('CONT-03: removing the selected contact clears the selection', () => {
    const store = createAppStore();
    const bob = fakeContact(2);
    store.getState().setContacts([bob]);
    store.getState().selectContact(bob.publicKey);
    store.getState().removeContact(bob.publicKey);
    expect(store.getState().contacts).toEqual([]);
    expect(store.getState().selectedContactKey).toBeNull();
  });
});

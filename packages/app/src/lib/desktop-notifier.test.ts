import { describe, expect, it, vi } from 'vitest';
import type { FileTransferView, Message } from '@discordopus/protocol/bridge';
import { createAppStore } from '../store/app-store';
import { fakeContact } from '../test-support/fake-core';
import { createDesktopNotifier, type NotificationApi } from './desktop-notifier';

const bob = fakeContact(2, { displayName: 'Bob' });
const message = { text: 'See you at eight', outgoing: false } as Message;

function setup(permission: NotificationApi['permission'], attended = false) {
  const store = createAppStore({ contacts: [bob] });
  const shown: { title: string; body: string; click: () => void }[] = [];
  const api: NotificationApi = {
    permission,
    requestPermission: vi.fn(async () => 'granted' as const),
    show: (title, { body }, click) => void shown.push({ title, body, click }),
  };
  const stored = new Map<string, string>();
  const focusWindow = vi.fn();
  const notifier = createDesktopNotifier({
    store,
    api,
    attended: () => attended,
    focusWindow,
    storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
  });
  return { store, api, shown, notifier, focusWindow };
}

describe('desktop notifications (MSG-04)', () => {
  it('MSG-04: a message while the window is not focused shows the contact and the text; a click opens the conversation', () => {
    const { store, shown, notifier, focusWindow } = setup('granted');
    notifier.incoming(bob.publicKey, message);
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'Bob', body: 'See you at eight' }]);
    shown[0]!.click();
    expect(focusWindow).toHaveBeenCalled();
    expect(store.getState().selectedContactKey).toBe(bob.publicKey);
  });

  it('MSG-04: nothing shows for a focused window, a muted conversation or without permission', () => {
    expect((() => { const s = setup('granted', true); s.notifier.incoming(bob.publicKey, message); return s.shown.length; })()).toBe(0);
    const muted = setup('granted');
    muted.store.getState().setMuted(bob.publicKey, true);
    muted.notifier.incoming(bob.publicKey, message);
    expect(muted.shown).toHaveLength(0);
    const denied = setup('denied');
    denied.notifier.incoming(bob.publicKey, message);
    expect(denied.shown).toHaveLength(0);
  });

  it('MSG-04: permission is asked once, and never again once answered', () => {
    const { api, notifier } = setup('default');
    notifier.askOnce();
    notifier.askOnce();
    expect(api.requestPermission).toHaveBeenCalledTimes(1);
    const granted = setup('granted');
    granted.notifier.askOnce();
    expect(granted.api.requestPermission).not.toHaveBeenCalled();
  });

  it('FILE-01: a file offer while the window is not focused names the file and its size; auto-accepted ones say they are being saved; muted or refused ones stay quiet', () => {
    const offer = { id: 'AAAAAAAAAAAAAAAAAAAAAA', peer: bob.publicKey, name: 'holiday.jpg', size: 3 * 1024 * 1024, state: 'offered' } as FileTransferView;
    const { store, shown, notifier } = setup('granted');
    notifier.incomingFile(offer, false);
    notifier.incomingFile({ ...offer, state: 'accepted' }, true);
    notifier.incomingFile({ ...offer, state: 'failed' }, false);
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Bob', body: 'Wants to send you holiday.jpg (3.0 MB).' },
      { title: 'Bob', body: 'Sent you holiday.jpg (3.0 MB); it is being saved.' },
    ]);
    shown[0]!.click();
    expect(store.getState().selectedContactKey).toBe(bob.publicKey);
    store.getState().setMuted(bob.publicKey, true);
    notifier.incomingFile(offer, false);
    expect(shown).toHaveLength(2);
    const focused = setup('granted', true);
    focused.notifier.incomingFile(offer, false);
    expect(focused.shown).toHaveLength(0);
  });
});

import type { NotificationApi } from '../../lib/desktop-notifier';
import { contactName } from '../../lib/contact-display';
import type { AppStore } from '../../store/app-store';
import type { CallController } from './call-controller';

export interface CallNotifierOptions {
  controller: CallController;
  store: AppStore;
  /** null where the browser has no notifications. */
  api: NotificationApi | null;
  /** Whether the window has the user's attention (focused and visible). */
  attended: () => boolean;
  focusWindow: () => void;
}

/**
 * VOICE-01: a desktop notification "Bob is calling" when a call rings and the window is not
 * focused (permission is the message notifier's, asked once). A click brings the window forward
 * with the caller's conversation open; the answer is in the window's dialog. Returns the unsubscriber.
 */
export function notifyIncomingCalls(o: CallNotifierOptions): () => void {
  return o.controller.on('incoming', ({ publicKey, callId }) => {
    if (o.api === null || o.api.permission !== 'granted' || o.attended()) return;
    const contact = o.store.getState().contacts?.find((c) => c.publicKey === publicKey);
    if (contact === undefined) return;
    o.api.show(`${contactName(contact)} is calling`, { body: 'Voice call — open DiscordOpus to answer', tag: `call:${callId}` }, () => {
      o.focusWindow();
      o.store.getState().selectContact(publicKey);
    });
  });
}

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
 * focused (permission is the message notifier's, asked once); VOICE-04: "Missed call from Bob"
 * when a call was missed (or refused busy) while the window was not focused. A click brings the
 * window forward with the caller's conversation open; the answer is in the window's dialog.
 * Returns the unsubscriber.
 */
export function notifyIncomingCalls(o: CallNotifierOptions): () => void {
  const show = (publicKey: string, title: (name: string) => string, options: { body: string; tag: string }) => {
    if (o.api === null || o.api.permission !== 'granted' || o.attended()) return;
    const contact = o.store.getState().contacts?.find((c) => c.publicKey === publicKey);
    if (contact === undefined) return;
    o.api.show(title(contactName(contact)), options, () => {
      o.focusWindow();
      o.store.getState().selectContact(publicKey);
    });
  };
  const offs = [
    o.controller.on('incoming', ({ publicKey, callId }) => show(publicKey, (name) => `${name} is calling`, { body: 'Voice call — open DiscordOpus to answer', tag: `call:${callId}` })),
    o.controller.on('ended', ({ publicKey, entry, refusedBusy }) => {
      if (entry.outcome !== 'missed') return;
      // A call that rang: the same tag replaces its ringing notification. Calls refused busy share
      // one tag per contact, so a contact calling again and again during a call shows one notice.
      show(publicKey, (name) => `Missed call from ${name}`, { body: 'Voice call', tag: refusedBusy ? `busy:${publicKey}` : `call:${entry.callId}` });
    }),
  ];
  return () => offs.forEach((off) => off());
}

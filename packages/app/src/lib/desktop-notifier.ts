import type { Contact, FileTransferView, Message } from '@discordopus/protocol/bridge';
import { formatBytes } from '../features/files/file-format';
import type { AppStore } from '../store/app-store';
import { contactName } from './contact-display';

/** The part of the browser's Notification API the notifier uses (injected: tests pass a fake). */
export interface NotificationApi {
  readonly permission: NotificationPermission | 'default' | 'granted' | 'denied';
  requestPermission(): Promise<NotificationPermission | 'default' | 'granted' | 'denied'>;
  /** Shows one notification; `onClick` runs when the user clicks it. */
  show(title: string, options: { body: string; tag: string }, onClick: () => void): void;
}

export interface DesktopNotifierOptions {
  store: AppStore;
  /** null where the browser has no notifications. */
  api: NotificationApi | null;
  /** Whether the window has the user's attention (focused and visible). */
  attended: () => boolean;
  /** Bring the window forward (a click on a notification). */
  focusWindow: () => void;
  /** Remembers that permission was asked (once per profile window, across reloads). */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

const ASKED_KEY = 'discordopus.notifications.asked';
const BODY_CHARS = 140;

/**
 * MSG-04: a desktop notification for a contact's message (FILE-01: or file offer) when the window
 * is not focused and the conversation is not muted. Permission is asked once; a click opens the conversation.
 */
export function createDesktopNotifier(o: DesktopNotifierOptions) {
  const show = (contact: Contact, body: string, tag: string) =>
    o.api?.show(contactName(contact), { body, tag }, () => {
      o.focusWindow();
      o.store.getState().selectContact(contact.publicKey);
    });
  return {
    /** Ask for permission if it was never asked (call when the main screen opens). */
    askOnce(): void {
      if (o.api === null || o.api.permission !== 'default' || o.storage.getItem(ASKED_KEY) !== null) return;
      o.storage.setItem(ASKED_KEY, '1');
      o.api.requestPermission().catch(() => undefined);
    },
    incoming(publicKey: string, message: Message): void {
      const state = o.store.getState();
      if (o.api === null || o.api.permission !== 'granted' || o.attended() || state.muted[publicKey] === true) return;
      const contact: Contact | undefined = state.contacts?.find((c) => c.publicKey === publicKey);
      if (contact === undefined) return;
      const body = message.text.length > BODY_CHARS ? `${message.text.slice(0, BODY_CHARS - 1)}…` : message.text;
      show(contact, body, `dm:${publicKey}`);
    },
    /** FILE-01: a contact offered a file (an offer refused on arrival, e.g. too large, is not announced). */
    incomingFile(transfer: FileTransferView, autoAccepted: boolean): void {
      const state = o.store.getState();
      if (o.api === null || o.api.permission !== 'granted' || o.attended() || state.muted[transfer.peer] === true) return;
      if (transfer.state !== 'offered' && !autoAccepted) return;
      const contact = state.contacts?.find((c) => c.publicKey === transfer.peer);
      if (contact === undefined) return;
      const name = transfer.name.length > BODY_CHARS ? `${transfer.name.slice(0, BODY_CHARS - 1)}…` : transfer.name;
      const size = formatBytes(transfer.size);
      show(contact, autoAccepted ? `Sent you ${name} (${size}); it is being saved.` : `Wants to send you ${name} (${size}).`, `file:${transfer.id}`);
    },
  };
}

export type DesktopNotifier = ReturnType<typeof createDesktopNotifier>;

/** The browser's Notification API in the notifier's shape, or null without one. */
export function browserNotifications(): NotificationApi | null {
  if (typeof Notification === 'undefined') return null;
  return {
    get permission() {
      return Notification.permission;
    },
    requestPermission: () => Notification.requestPermission(),
    show: (title, options, onClick) => {
      const shown = new Notification(title, options);
      shown.onclick = onClick;
    },
  };
}

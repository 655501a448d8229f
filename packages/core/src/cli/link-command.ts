import { decodeUserId, DiscordOpusError } from '@discordopus/protocol';
import type { ClientCore } from '../client/client-core';
import type { LinkChange } from '../client/client-core-events';
import type { Contact } from '../contacts/contacts-store';
import type { Vault } from '../vault/vault';

const VISIBLE = new Set(['online', 'away', 'busy']);
/** Closes after which the command asks again (the link went idle: nothing is sent by a watcher). */
const REOPEN_AFTER = new Set(['idle']);
/** Closes that only hand over to a newer link: `--once` keeps waiting. */
const HANDED_OVER = new Set(['glare', 'replaced']);

/**
 * Find a contact by user ID, or by a nickname or display name that names exactly one contact.
 * Throws CONTACT_NOT_FOUND / CONTACT_AMBIGUOUS with a sentence.
 */
export function findContact(vault: Vault, text: string | undefined, command = 'link'): Contact {
  if (!text) throw new DiscordOpusError('USAGE', `${command} needs a contact: a user ID, a nickname or a display name.`);
  let key: string | null = null;
  try {
    key = Buffer.from(decodeUserId(text)).toString('hex');
  } catch {
    key = null; // not a user ID: try it as a name
  }
  if (key !== null) {
    const contact = vault.contacts.get(key);
    if (contact === null) throw new DiscordOpusError('CONTACT_NOT_FOUND', 'That user ID is not in your contacts; add it first.');
    return contact;
  }
  const wanted = text.trim().toLowerCase();
  const matches = vault.contacts.list().filter((c) => [c.nickname, c.displayName, c.shownName].some((n) => n?.toLowerCase() === wanted));
  if (matches.length === 1) return matches[0] as Contact;
  if (matches.length > 1) throw new DiscordOpusError('CONTACT_AMBIGUOUS', `${matches.length} contacts are called “${text}”; give the user ID.`);
  throw new DiscordOpusError('CONTACT_NOT_FOUND', `No contact is called “${text}”; give a user ID or a name from \`contacts\`.`);
}

export interface LinkWatchOptions {
  core: ClientCore;
  contact: Contact;
  /** One JSON object per line. */
  print: (line: object) => void;
  /** Exit after the link is open and its first round trip measured (for scripts). */
  once: boolean;
}

/**
 * `link <contact>` (P2P-01, P2P-03): open a link to the contact as soon as it is online and
 * print every change (state, direct/relayed, RTT) as a JSON line. Resolves with an exit code
 * when `once` is done (0 open, 1 closed first); otherwise runs until the caller stops the core.
 */
export function watchLink(options: LinkWatchOptions): { done: Promise<number>; stop: () => void } {
  const { core, contact, print, once } = options;
  const key = contact.publicKey;
  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));
  const openIfReachable = () => {
    if (!core.contacts.isReachable(key) || core.links().some((l) => l.publicKey === key)) return;
    const opened = core.openLink(key);
    if (!opened.ok) print({ event: 'link', contact: contact.userId, state: 'refused', reason: opened.code, path: null, rttMs: null });
  };
  const offs = [
    core.on('presenceChanged', (e) => {
      if (e.publicKey !== key) return;
      print({ event: 'presence', contact: contact.userId, status: e.status });
      if (VISIBLE.has(e.status)) openIfReachable();
    }),
    core.on('linkChanged', (e: LinkChange) => {
      if (e.publicKey !== key) return;
      print({ event: 'link', contact: contact.userId, state: e.state, reason: e.reason, path: e.path, rttMs: e.rttMs });
      if (once && e.state === 'open' && e.rttMs !== null) finish(0);
      if (once && e.state === 'closed' && !HANDED_OVER.has(e.reason ?? '')) finish(1);
      if (!once && e.state === 'closed' && e.reason !== null && REOPEN_AFTER.has(e.reason)) openIfReachable();
    }),
    core.on('linkSecurityWarning', (e) => {
      if (e.publicKey === key) print({ event: 'securityWarning', contact: contact.userId, code: e.code, reason: e.reason });
    }),
  ];
  return { done, stop: () => offs.forEach((off) => off()) };
}

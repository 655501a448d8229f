import { DiscordOpusError } from '@discordopus/protocol';
import type { ClientCore } from '../client/client-core';
import type { Contact } from '../contacts/contacts-store';
import type { StoredMessage } from '../messages/message-types';
import type { Vault } from '../vault/vault';

/**
 * The message commands of `discordopus-cli` (MSG-01, MSG-02, MSG-05). Message text goes to
 * stdout only, as the command's own output: never to a log or stderr.
 */

/** A message as the CLI prints it in JSON (the stored message, with the contact's user ID). */
export function messageLine(contact: Contact, m: StoredMessage): object {
  const { cursor: _cursor, peer: _peer, ...rest } = m;
  return { contact: contact.userId, ...rest };
}

/** One line for a person: `2026-01-01 12:00 Bob: text [delivered]`. */
export function describeMessage(vault: Vault, contact: Contact, m: StoredMessage): string {
  const who = m.outgoing ? vault.identity.displayName : contact.shownName;
  const when = new Date(m.sentAt).toISOString().slice(0, 16).replace('T', ' ');
  const text = m.deleted ? '(deleted)' : m.text;
  const extra = [m.editedAt !== null && !m.deleted ? 'edited' : null, m.outgoing ? m.state : null, ...m.reactions.map((r) => `${r.emoji}×${r.by.length}`)].filter(Boolean);
  return `${when} ${who}: ${text}${extra.length > 0 ? ` [${extra.join(', ')}]` : ''}`;
}

/** `--limit N`: a whole number from 1 to `max`. */
export function limitOf(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new DiscordOpusError('USAGE', `--limit is a whole number from 1 to ${max}.`);
  return n;
}

const REACHABLE = new Set(['online', 'away', 'busy']);

export interface SendWatchOptions {
  core: ClientCore;
  contact: Contact;
  text: string;
  print: (human: string, json: object) => void;
  stderr: NodeJS.WritableStream;
}

/**
 * `send <contact> <text>` (MSG-01, MSG-02): store the message (it waits in the outbox), then
 * resolve with 0 once the contact has stored it. The user asked to send, so each time the contact
 * shows online the link is opened with intent 'user' — also while the profile is invisible
 * (PRES-03 lets the user's own request reveal them to that contact; review finding 7). A fatal connection failure prints its code and
 * resolves with 1; so does a stop (Ctrl-C) before delivery, saying the message still waits.
 */
export function watchSend(options: SendWatchOptions): { done: Promise<number>; stop: () => void; interrupted: () => number } {
  const { core, contact, print, stderr } = options;
  let finish: (code: number) => void = () => {};
  let finished = false;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const end = (code: number) => {
    if (finished) return;
    finished = true;
    finish(code);
  };
  const message = core.sendMessage(contact.publicKey, options.text); // throws MessageError for a bad text
  print(`queued ${message.id}`, { event: 'queued', ...messageLine(contact, message) });
  const offs = [
    core.on('messageReceipt', (e) => {
      if (e.peer !== contact.publicKey || e.upToSeq < message.seq || e.state === 'sent') return;
      print(`delivered ${message.id}`, { event: 'delivered', id: message.id, contact: contact.userId, seq: message.seq });
      end(0);
    }),
    core.on('presenceChanged', (e) => {
      if (e.publicKey !== contact.publicKey || !REACHABLE.has(e.status)) return;
      const opened = core.openLink(contact.publicKey, { intent: 'user' });
      if (!opened.ok) print(`no link yet: ${opened.code}`, { event: 'noLink', contact: contact.userId, code: opened.code });
    }),
    core.on('connectionChanged', (e) => {
      if (e.state !== 'failed') return;
      stderr.write(`${e.reason ?? 'CONNECTION_FAILED'}: ${e.detail ?? 'The signaling server could not be used.'} The message waits in the outbox.\n`);
      end(1);
    }),
  ];
  return {
    done,
    stop: () => offs.forEach((off) => off()),
    interrupted: () => {
      if (finished) return 0;
      finished = true;
      stderr.write('NOT_DELIVERED: The message is stored and waits in the outbox; it goes when you and the contact are online together.\n');
      return 1;
    },
  };
}

/**
 * `listen` (MSG-01): every message event as a line — message added or updated, receipts,
 * typing, unread counts and link changes — for every contact, until Ctrl-C.
 */
export function watchMessages(core: ClientCore, vault: Vault, print: (human: string, json: object) => void): { stop: () => void } {
  const contactOf = (hex: string): Contact | null => vault.contacts.get(hex);
  const nameOf = (c: Contact | null, hex: string) => (c ? c.shownName : hex.slice(0, 8));
  const idOf = (c: Contact | null, hex: string) => c?.userId ?? hex;
  const offs = [
    core.on('messageAdded', ({ peer, message }) => {
      const c = contactOf(peer);
      const human = c ? describeMessage(vault, c, message) : `${message.outgoing ? 'to' : 'from'} ${peer.slice(0, 8)}: ${message.text}`;
      print(human, { event: 'message', change: 'added', ...(c ? messageLine(c, message) : { contact: peer, ...message }) });
    }),
    core.on('messageUpdated', ({ peer, message }) => {
      const c = contactOf(peer);
      const human = `updated: ${c ? describeMessage(vault, c, message) : message.id}`;
      print(human, { event: 'message', change: 'updated', ...(c ? messageLine(c, message) : { contact: peer, ...message }) });
    }),
    core.on('messageReceipt', (e) => {
      const c = contactOf(e.peer);
      print(`${e.state} up to #${e.upToSeq} (${nameOf(c, e.peer)})`, { event: 'receipt', contact: idOf(c, e.peer), state: e.state, upToSeq: e.upToSeq });
    }),
    core.on('typingChanged', (e) => {
      const c = contactOf(e.peer);
      print(`${nameOf(c, e.peer)} ${e.typing ? 'is typing…' : 'stopped typing'}`, { event: 'typing', contact: idOf(c, e.peer), typing: e.typing });
    }),
    core.on('unreadChanged', (e) => {
      const c = contactOf(e.peer);
      print(`${e.unread} unread from ${nameOf(c, e.peer)}`, { event: 'unread', contact: idOf(c, e.peer), unread: e.unread });
    }),
    core.on('linkChanged', (e) => {
      const c = contactOf(e.publicKey);
      const human = `link ${nameOf(c, e.publicKey)} ${e.state}${e.reason ? ` (${e.reason})` : ''}${e.path ? ` ${e.path}` : ''}${e.rttMs !== null ? ` ${e.rttMs} ms` : ''}`;
      print(human, { event: 'link', contact: idOf(c, e.publicKey), state: e.state, reason: e.reason, path: e.path, rttMs: e.rttMs });
    }),
  ];
  return { stop: () => offs.forEach((off) => off()) };
}

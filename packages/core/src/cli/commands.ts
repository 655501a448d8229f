import { resolve } from 'node:path';
import { decodeUserId, DiscordOpusError, type OwnStatus, OWN_STATUSES, shortUserId } from '@discordopus/protocol';
import type { Contact } from '../contacts/contacts-store';
import type { Logger } from '../logging/logger';
import type { ClientCore } from '../client/client-core';
import { type ClientCoreOptions, createClientCore } from '../client/create-client-core';
import { profileDir } from '../profile/profile-paths';
import type { ScryptParams } from '../vault/kdf';
import { Vault } from '../vault/vault';
import type { parseCli } from './cli';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../messages/message-store';
import { watchAccept, watchFiles, watchSendFile } from './file-commands';
import { findContact, watchLink } from './link-command';
import { describeMessage, limitOf, messageLine, watchMessages, watchSend } from './message-commands';
import { readPassphrase } from './passphrase-source';

export interface CliContext {
  args: ReturnType<typeof parseCli>;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  logger?: Logger;
  /** Resolves when `connect` should stop (Ctrl-C); injected so tests can end it. */
  untilStopped?: () => Promise<void>;
  /** scrypt cost for `create`; tests use a cheap one. */
  kdf?: ScryptParams;
  /** How `connect` and `link` build the core's ICE and links; tests keep them on 127.0.0.1. */
  clientOptions?: Pick<ClientCoreOptions, 'defaultIceServers' | 'links'>;
}

function usageError(message: string): DiscordOpusError {
  return new DiscordOpusError('USAGE', message);
}

export async function runCommand(ctx: CliContext): Promise<number> {
  const [command, ...rest] = ctx.args.positionals;
  const { values } = ctx.args;
  const dir = profileDir({ profile: values.profile, home: values.home, env: ctx.env });
  const out = (human: string, json: object) => ctx.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
  const passphrase = (prompt: string) =>
    readPassphrase({ file: values['passphrase-file'], env: ctx.env, prompt, ...(ctx.stdin ? { input: ctx.stdin } : {}), output: ctx.stderr });

  if (command === 'create') {
    if (!values.name) throw usageError('create needs --name NAME (your display name).');
    const vault = await Vault.create({
      dir,
      displayName: values.name,
      passphrase: await passphrase('New passphrase: '),
      ...(ctx.kdf ? { kdf: ctx.kdf } : {}),
    });
    try {
      out(`Created ${vault.identity.displayName}: ${vault.identity.userId}`, { userId: vault.identity.userId, displayName: vault.identity.displayName });
    } finally {
      vault.close();
    }
    return 0;
  }

  const known = ['id', 'contacts', 'add', 'remove', 'rename', 'status', 'server', 'connect', 'link', 'send', 'history', 'listen', 'search', 'send-file', 'accept'];
  if (!command || !known.includes(command)) throw usageError(`Unknown command "${command ?? ''}". Try --help.`);
  const vault = await Vault.unlock({ dir, passphrase: await passphrase('Passphrase: ') });
  try {
    switch (command) {
      case 'id':
        out(vault.identity.userId, { userId: vault.identity.userId, displayName: vault.identity.displayName });
        return 0;
      case 'contacts': {
        const contacts = vault.contacts.list();
        if (!values.json && contacts.length === 0) ctx.stdout.write('No contacts yet. Add one with: add <USER_ID>\n');
        for (const c of contacts) out(describeContact(c), c);
        return 0;
      }
      case 'add': {
        const userId = rest[0];
        if (!userId) throw usageError('add needs a user ID.');
        const contact = vault.contacts.add(userId, { nickname: values.nickname ?? null });
        out(`Added ${describeContact(contact)}`, contact);
        return 0;
      }
      case 'remove': {
        const key = keyOf(rest[0]);
        vault.contacts.remove(key);
        out(`Removed ${rest[0]}`, { removed: rest[0] });
        return 0;
      }
      case 'rename': {
        const key = keyOf(rest[0]);
        if (rest[1] === undefined) throw usageError('rename needs a nickname ("" clears it).');
        const contact = vault.contacts.setNickname(key, rest[1] === '' ? null : rest[1]);
        out(`Renamed: ${describeContact(contact)}`, contact);
        return 0;
      }
      case 'status': {
        const wanted = rest[0];
        if (wanted !== undefined) {
          if (!(OWN_STATUSES as readonly string[]).includes(wanted)) throw usageError(`A status is one of: ${OWN_STATUSES.join(', ')}.`);
          vault.settings.set('presence.status', wanted as OwnStatus);
        }
        const status = vault.settings.get('presence.status');
        out(status, { status });
        return 0;
      }
      case 'server': {
        if (rest.length > 0) {
          vault.settings.set('network.signalingUrls', rest);
          // Stored explicitly either way, so an old opt-in never lingers for a new server.
          vault.settings.set('network.allowInsecureRemote', values.insecure === true);
          if (values.insecure) ctx.stderr.write('Warning: this profile now allows unencrypted ws:// to remote servers.\n');
        }
        const urls = vault.settings.get('network.signalingUrls');
        out(urls.join('\n'), { signalingUrls: urls });
        return 0;
      }
      case 'connect':
        return await connect(ctx, vault, out);
      case 'link': {
        // JSON lines whatever --json says: this output is for scripts (P2P-01, P2P-03).
        const contact = findContact(vault, rest[0], 'link');
        const json = (line: object) => ctx.stdout.write(`${JSON.stringify(line)}\n`);
        return await connect(ctx, vault, (_human, line) => json(line), (core) =>
          watchLink({ core, contact, print: json, once: values.once === true }),
        );
      }
      case 'send': {
        const contact = findContact(vault, rest[0], 'send');
        const text = rest.slice(1).join(' ');
        if (text === '') throw usageError('send needs a contact and the text: send <CONTACT> <TEXT>.');
        if (values['no-wait']) {
          const m = vault.messages.send(contact.publicKey, text); // waits in the outbox for the next run or the app
          out(`queued ${m.id}`, { event: 'queued', ...messageLine(contact, m) });
          return 0;
        }
        return await connect(ctx, vault, () => {}, (core) => watchSend({ core, contact, text, print: out, stderr: ctx.stderr }));
      }
      case 'history': {
        const contact = findContact(vault, rest[0], 'history');
        const page = vault.messages.history(contact.publicKey, { limit: limitOf(values.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE) });
        if (!values.json && page.messages.length === 0) ctx.stdout.write('No messages yet.\n');
        for (const m of page.messages) out(describeMessage(vault, contact, m), messageLine(contact, m));
        return 0;
      }
      case 'search': {
        const query = rest.join(' ');
        if (query.trim() === '') throw usageError('search needs words to look for.');
        const only = values.contact === undefined ? null : findContact(vault, values.contact, 'search --contact');
        const limit = { limit: limitOf(values.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE) };
        const hits = only === null ? vault.messages.searchAll(query, limit) : vault.messages.search(only.publicKey, query, limit);
        if (!values.json && hits.length === 0) ctx.stdout.write('Nothing found.\n');
        for (const m of hits) {
          const contact = vault.contacts.get(m.peer);
          if (contact) out(describeMessage(vault, contact, m), messageLine(contact, m));
          else out(`${m.peer.slice(0, 8)}: ${m.text}`, { contact: m.peer, ...m });
        }
        return 0;
      }
      case 'listen':
        return await connect(ctx, vault, out, (core) => {
          const files = watchFiles(core, vault, out);
          const messages = watchMessages(core, vault, out);
          return { stop: () => (files.stop(), messages.stop()), done: new Promise<number>(() => {}) };
        });
      case 'send-file': {
        const contact = findContact(vault, rest[0], 'send-file');
        if (!rest[1]) throw usageError('send-file needs a contact and a file: send-file <CONTACT> <PATH>.');
        const path = resolve(rest[1]);
        return await connect(ctx, vault, () => {}, (core) => watchSendFile({ core, vault, contact, path, print: out, stderr: ctx.stderr }));
      }
      case 'accept': {
        const id = rest[0];
        if (!id) throw usageError('accept needs a transfer ID (printed by listen): accept <TRANSFER_ID> [DIR].');
        const dir = rest[1] === undefined ? undefined : resolve(rest[1]);
        return await connect(ctx, vault, () => {}, (core) => watchAccept({ core, vault, id, dir, print: out, stderr: ctx.stderr }));
      }
      default:
        throw usageError(`Unknown command "${command}".`);
    }
  } finally {
    vault.close();
  }
}

/**
 * Run a client core until Ctrl-C (or a fatal connection failure), printing connection and
 * presence events; `watch` adds a task (the `link` command) whose `done` also ends the run.
 */
async function connect(
  ctx: CliContext,
  vault: Vault,
  out: (human: string, json: object) => void,
  watch?: (core: ClientCore) => { done: Promise<number>; stop: () => void; interrupted?: () => number },
): Promise<number> {
  // --insecure here is for this run only; the profile's setting is left as it is.
  const core = createClientCore({
    vault,
    allowInsecureRemote: ctx.args.values.insecure ? true : null,
    ...ctx.clientOptions,
    ...(ctx.logger ? { logger: ctx.logger } : {}),
  });
  const nameOf = (hex: string) => {
    const c = vault.contacts.get(hex);
    return c ? (c.nickname ?? shortUserId(c.userId)) : hex.slice(0, 8);
  };
  core.on('connectionChanged', (e) => {
    const extra = e.state === 'backing-off' && e.nextRetryAt ? ` (retry in ${Math.ceil((e.nextRetryAt - Date.now()) / 1000)} s)` : '';
    out(`connection ${e.state}${e.reason ? ` ${e.reason}` : ''}${extra}`, { event: 'connection', ...e });
  });
  core.on('presenceChanged', (e) => out(`presence ${nameOf(e.publicKey)} ${e.status}`, { event: 'presence', ...e }));
  core.on('presenceReset', (e) => out(`presence all unknown (${e.reason})`, { event: 'presenceReset', ...e }));
  core.on('statusChanged', (e) => out(`status ${e.status}`, { event: 'status', ...e }));
  let failed = false;
  let onFatal = () => {};
  const stopOnFatal = new Promise<void>((resolve) => (onFatal = resolve));
  core.on('connectionChanged', (e) => {
    if (e.state === 'failed') {
      failed = true;
      onFatal();
    }
  });
  const task = watch?.(core) ?? null;
  let taskCode: number | null = null;
  core.start();
  const untilStopped = ctx.untilStopped ?? defaultUntilStopped;
  await Promise.race([untilStopped(), stopOnFatal, task?.done.then((code) => (taskCode = code)) ?? new Promise<never>(() => {})]);
  core.stop('shutdown');
  task?.stop();
  // Stopped (Ctrl-C) before the task ended: the task says what that means (`send`: not delivered).
  if (!failed && taskCode === null && task?.interrupted) taskCode = task.interrupted();
  return failed ? 1 : (taskCode ?? 0);
}

function defaultUntilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function keyOf(userId: string | undefined): string {
  if (!userId) throw usageError('Give the contact’s user ID.');
  return Buffer.from(decodeUserId(userId)).toString('hex');
}

function describeContact(c: Contact): string {
  const name = c.nickname ? `${c.nickname} ` : '';
  const verified = c.verified ? ' ✓verified' : '';
  return `${name}${c.userId} [${c.onlineStatus}]${verified}`;
}

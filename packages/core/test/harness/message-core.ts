import { bytesToHex } from '@discordopus/protocol';
import type { ClientCore } from '../../src/client/client-core';
import type { MessageReceipt } from '../../src/client/client-core-events';
import type { MessageTunables } from '../../src/client/client-messages';
import { createClientCore } from '../../src/client/create-client-core';
import type { ContactPresence } from '../../src/presence/presence-events';
import type { LinkManager } from '../../src/links/link-manager';
import type { Logger } from '../../src/logging/logger';
import type { FileTunables } from '../../src/files/transfer-tunables';
import type { Clock } from '../../src/signaling/clock';
import type { LinkTunables } from '../../src/links/link-options';
import type { StoredMessage } from '../../src/messages/message-types';
import { Vault } from '../../src/vault/vault';
import { createProfileDir, LINK_PASSPHRASE } from './link-core';

/**
 * A real client core for message tests (MSG-01..05): a real vault (SQLCipher file in a temp
 * folder) and the real composition root connected to a real server, links on 127.0.0.1 and no
 * public STUN, recording every message event the root emits. `restart()` stops it and opens a
 * new ClientCore on the same profile (as quitting and starting the app would).
 */
export interface MessageCore {
  name: string;
  dir: string;
  userId: string;
  hex: string;
  vault: Vault;
  root: ClientCore;
  links: LinkManager;
  added: StoredMessage[];
  updated: StoredMessage[];
  receipts: MessageReceipt[];
  typing: { peer: string; typing: boolean }[];
  unread: { peer: string; unread: number }[];
  presence: { peer: string; status: ContactPresence }[];
  /** Every warning and error the core logged (with its message only: nothing else is kept). */
  problems: string[];
  /** Every log line's fields and message, at every level, to check that no message text is logged. */
  logText: string[];
  running: boolean;
  stop(): void;
}

export interface MessageCoreOptions {
  /** An existing profile folder (else a new one named `name`). */
  dir?: string;
  messages?: MessageTunables;
  links?: Partial<LinkTunables>;
  clock?: Clock;
  /** File transfers (FILE-01): the home folder and the engine's tunables. */
  files?: { homeDir?: string; tunables?: Partial<FileTunables> };
}

export async function startMessageCore(name: string, serverUrl: string, options: MessageCoreOptions = {}): Promise<MessageCore> {
  const dir = options.dir ?? (await createProfileDir(name)).dir;
  const vault = await Vault.unlock({ dir, passphrase: LINK_PASSPHRASE });
  let links: LinkManager | null = null;
  const problems: string[] = [];
  const logText: string[] = [];
  const logger = recordingLogger(problems, logText);
  const root = createClientCore({
    vault,
    signalingUrls: () => [serverUrl],
    random: () => 0,
    defaultIceServers: [],
    links: { bindAddress: '127.0.0.1', ...(options.links ? { tunables: options.links } : {}), onCreated: (m) => (links = m) },
    ...(options.messages ? { messages: options.messages } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.files ? { files: options.files } : {}),
    logger,
  });
  if (links === null) throw new Error('the root built no link manager');
  const core: MessageCore = {
    name,
    dir,
    userId: vault.identity.userId,
    hex: bytesToHex(vault.identity.publicKey),
    vault,
    root,
    links,
    added: [],
    updated: [],
    receipts: [],
    typing: [],
    unread: [],
    presence: [],
    problems,
    logText,
    running: true,
    stop: () => {
      if (!core.running) return;
      core.running = false;
      root.stop('shutdown');
      vault.close();
    },
  };
  root.on('messageAdded', (e) => core.added.push(e.message));
  root.on('messageUpdated', (e) => core.updated.push(e.message));
  root.on('messageReceipt', (e) => core.receipts.push(e));
  root.on('typingChanged', (e) => core.typing.push(e));
  root.on('unreadChanged', (e) => core.unread.push(e));
  root.on('presenceChanged', (e) => core.presence.push({ peer: e.publicKey, status: e.status }));
  root.start();
  return core;
}

/** Every message of a conversation, oldest first, read page by page through the root. */
export function fullHistory(core: MessageCore, peer: string): StoredMessage[] {
  const all: StoredMessage[] = [];
  let before: string | undefined;
  for (;;) {
    const page = core.root.history(peer, { limit: 500, ...(before ? { before } : {}) });
    all.unshift(...page.messages);
    if (page.olderCursor === null) return all;
    before = page.olderCursor;
  }
}

/** What both sides must agree on about a message (the rest is local: state, cursor, times). */
export function shared(m: StoredMessage): object {
  return { id: m.id, author: m.author, seq: m.seq, text: m.text, replyTo: m.replyTo, deleted: m.deleted, edited: m.editedAt !== null, reactions: m.reactions };
}

function recordingLogger(problems: string[], text: string[], bindings: Record<string, unknown> = {}): Logger {
  const line = (obj: object, msg?: string) => {
    let fields: string;
    try {
      fields = JSON.stringify({ ...bindings, ...obj }, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v));
    } catch {
      fields = '[unserialisable]';
    }
    text.push(`${fields} ${msg ?? ''}`);
  };
  return {
    debug: line,
    info: line,
    warn: (obj, msg) => {
      line(obj, msg);
      problems.push(msg ?? '');
    },
    error: (obj, msg) => {
      line(obj, msg);
      problems.push(msg ?? '');
    },
    child: (more) => recordingLogger(problems, text, { ...bindings, ...more }),
  };
}

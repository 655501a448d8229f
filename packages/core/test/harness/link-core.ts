import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlToBytes, bytesToBase64url, bytesToHex } from '@discordopus/protocol';
import type { ClientCore } from '../../src/client/client-core';
import type { LinkChange, LinkSecurityWarning } from '../../src/client/client-core-events';
import { createClientCore } from '../../src/client/create-client-core';
import type { LinkStateEvent } from '../../src/links/link-events';
import type { LinkManager } from '../../src/links/link-manager';
import type { LinkTunables } from '../../src/links/link-options';
import { createWsSocket, type SignalingSocket } from '../../src/signaling/signaling-socket';
import { TEST_ONLY_CHEAP_SCRYPT } from '../../src/vault/kdf';
import { Vault } from '../../src/vault/vault';

export const LINK_PASSPHRASE = 'correct horse battery staple';

/**
 * A real client core for link tests: a real vault (SQLCipher file in a temp folder) and the real
 * composition root (createClientCore) connected to a real server, with its link manager bound to
 * 127.0.0.1 and no built-in public STUN (ICE: only what the server announces). The socket to the
 * server is the real `ws` one, wrapped so a test can play a relay that tampers with what it
 * delivers (`tamperIncoming`).
 */
export interface LinkCore {
  name: string;
  dir: string;
  vault: Vault;
  hex: string;
  /** The composition root under test. */
  root: ClientCore;
  /** The root's link manager (for stats, info and frames). */
  links: LinkManager;
  /** Every state transition of the link manager. */
  states: LinkStateEvent[];
  /** Every `linkChanged` the root emitted. */
  changes: LinkChange[];
  /** Every `linkSecurityWarning` the root emitted. */
  warnings: LinkSecurityWarning[];
  /** Failure injection on the receive path: what the "relay" delivers for each `signal.relay`. */
  tamperIncoming: (m: { from: string; payload: string }) => { from: string; payload: string }[];
  /** Every signal.relay received, as the server sent it (before tampering). */
  relayed: { from: string; payload: string }[];
  stop(): void;
}

export interface LinkCoreOptions {
  dir?: string;
  tunables?: Partial<LinkTunables>;
  relayOnly?: boolean;
}

const roots: string[] = [];

export function cleanupLinkCores(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** A new profile folder with a vault (closed again), for a core started later or in a child process. */
export async function createProfileDir(name: string): Promise<{ dir: string; userId: string; hex: string }> {
  const root = mkdtempSync(join(tmpdir(), `dop-link-${name}-`));
  roots.push(root);
  const dir = join(root, 'profile');
  const vault = await Vault.create({ dir, passphrase: LINK_PASSPHRASE, displayName: name, kdf: TEST_ONLY_CHEAP_SCRYPT });
  const out = { dir, userId: vault.identity.userId, hex: bytesToHex(vault.identity.publicKey) };
  vault.close();
  return out;
}

/** Add contacts to a closed profile folder. */
export async function addContacts(dir: string, userIds: string[]): Promise<void> {
  const vault = await Vault.unlock({ dir, passphrase: LINK_PASSPHRASE });
  try {
    for (const id of userIds) vault.contacts.add(id);
  } finally {
    vault.close();
  }
}

/** Alice's and Bob's profile folders (closed), each with the other as a contact. */
export async function mutualContactProfiles(): Promise<{ alice: { dir: string; userId: string; hex: string }; bob: { dir: string; userId: string; hex: string } }> {
  const alice = await createProfileDir('Alice');
  const bob = await createProfileDir('Bob');
  await addContacts(alice.dir, [bob.userId]);
  await addContacts(bob.dir, [alice.userId]);
  return { alice, bob };
}

export async function startLinkCore(name: string, serverUrl: string, options: LinkCoreOptions = {}): Promise<LinkCore> {
  const dir = options.dir ?? (await createProfileDir(name)).dir;
  const vault = await Vault.unlock({ dir, passphrase: LINK_PASSPHRASE });
  // Relay-only through the profile's own setting, as a user would set it (P2P-03).
  if (options.relayOnly !== undefined) vault.settings.set('network.relayOnly', options.relayOnly);
  let links: LinkManager | null = null;
  const root = createClientCore({
    vault,
    signalingUrls: () => [serverUrl],
    random: () => 0,
    defaultIceServers: [],
    createSocket: (url) => relayTap(createWsSocket(url), (m) => {
      core.relayed.push(m);
      return core.tamperIncoming(m);
    }),
    links: {
      bindAddress: '127.0.0.1',
      ...(options.tunables ? { tunables: options.tunables } : {}),
      onCreated: (manager) => (links = manager),
    },
  });
  if (links === null) throw new Error('the root built no link manager');
  const core: LinkCore = {
    name,
    dir,
    vault,
    hex: bytesToHex(vault.identity.publicKey),
    root,
    links,
    states: [],
    changes: [],
    warnings: [],
    tamperIncoming: (m) => [m],
    relayed: [],
    stop: () => {
      root.stop('shutdown');
      vault.close();
    },
  };
  core.links.on('linkState', (e) => core.states.push(e));
  root.on('linkChanged', (e) => core.changes.push(e));
  root.on('linkSecurityWarning', (e) => core.warnings.push(e));
  root.start();
  return core;
}

/**
 * The real socket, with every `signal.relay` it delivers passed through `tap` (keys in hex):
 * what the tap returns is delivered instead (nothing, the same, altered, or several copies).
 */
function relayTap(socket: SignalingSocket, tap: (m: { from: string; payload: string }) => { from: string; payload: string }[]): SignalingSocket {
  return {
    get readyState() {
      return socket.readyState;
    },
    send: (data) => socket.send(data),
    close: (code, reason) => socket.close(code, reason),
    addEventListener: ((type: 'open' | 'message' | 'close' | 'error', listener: (event: { data: unknown }) => void) => {
      if (type !== 'message') return socket.addEventListener(type as 'error', listener as (event: unknown) => void);
      socket.addEventListener('message', (event) => {
        const text = typeof event.data === 'string' ? event.data : Buffer.from(event.data as Buffer).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return listener(event);
        }
        const frame = parsed as { type?: unknown; from?: unknown; payload?: unknown };
        if (frame.type !== 'signal.relay' || typeof frame.from !== 'string' || typeof frame.payload !== 'string') return listener(event);
        for (const out of tap({ from: bytesToHex(base64urlToBytes(frame.from)), payload: frame.payload })) {
          listener({ data: JSON.stringify({ ...frame, from: bytesToBase64url(Buffer.from(out.from, 'hex')), payload: out.payload }) });
        }
      });
    }) as SignalingSocket['addEventListener'],
  };
}

/** Make two running cores list each other. */
export function befriendCores(a: LinkCore, b: LinkCore): void {
  a.vault.contacts.add(b.vault.identity.userId);
  b.vault.contacts.add(a.vault.identity.userId);
}

export function sees(viewer: LinkCore, of: { hex: string }): string | null {
  return viewer.vault.contacts.presenceOf(of.hex);
}

export function linkStates(core: LinkCore, peer: { hex: string }): string[] {
  return core.states.filter((s) => s.peer === peer.hex).map((s) => (s.reason ? `${s.state}:${s.reason}` : s.state));
}

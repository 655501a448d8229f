import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64urlToBytes, bytesToBase64url, bytesToHex, type IceServer, type ServerMessage } from '@discordopus/protocol';
import { buildIceConfiguration } from '../../src/ice/ice-config';
import type { LinkManagerEvents, LinkStateEvent } from '../../src/links/link-events';
import { LinkManager } from '../../src/links/link-manager';
import type { LinkTunables } from '../../src/links/link-options';
import { SignalSealer } from '../../src/links/sealing';
import { PresenceManager } from '../../src/presence/presence-manager';
import { SignalingClient } from '../../src/signaling/signaling-client';
import { TEST_ONLY_CHEAP_SCRYPT } from '../../src/vault/kdf';
import { Vault } from '../../src/vault/vault';

export const LINK_PASSPHRASE = 'correct horse battery staple';

/**
 * One client core's worth of real parts for link tests, wired by hand as the composition root
 * will wire them: a real vault (SQLCipher file in a temp folder), a real SignalingClient to a real
 * server, the presence manager, and the link manager with the sealer. ICE: only what the server
 * announces (no built-in public STUN), bound to 127.0.0.1.
 */
export interface LinkCore {
  name: string;
  dir: string;
  vault: Vault;
  hex: string;
  client: SignalingClient;
  presence: PresenceManager;
  links: LinkManager;
  states: LinkStateEvent[];
  warnings: Parameters<LinkManagerEvents['securityWarning']>[0][];
  /** Failure injection on the receive path: what the "relay" hands to the link manager. */
  tamperIncoming: (m: { from: string; payload: string }) => { from: string; payload: string }[];
  /** Every signal.relay received, as handed over before tampering. */
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

const VISIBLE = new Set(['online', 'away', 'busy']);

export async function startLinkCore(name: string, serverUrl: string, options: LinkCoreOptions = {}): Promise<LinkCore> {
  const dir = options.dir ?? (await createProfileDir(name)).dir;
  const vault = await Vault.unlock({ dir, passphrase: LINK_PASSPHRASE });
  const hex = bytesToHex(vault.identity.publicKey);
  let serverIce: IceServer[] = [];
  let requestSeq = 0;
  const pendingTo = new Map<string, string>();
  const contacts = vault.contacts;

  const presence = new PresenceManager({
    contacts: {
      publicKeysHex: () => contacts.publicKeys(),
      presenceOf: (key) => contacts.presenceOf(key),
      updatePresence: (key, status, lastSeenAt) => void contacts.updatePresence(key, status, lastSeenAt),
      markAllUnknown: () => contacts.markAllUnknown(),
      batch: (fn) => contacts.batch(fn),
    },
    ownStatus: { get: () => vault.settings.get('presence.status'), set: (s) => vault.settings.set('presence.status', s) },
  });
  presence.on('outgoing', ({ message }) => client.send(message));
  const links = new LinkManager({
    identity: vault.identity,
    sealer: new SignalSealer({ identity: vault.identity, clock: { now: () => Date.now() } }),
    sendSignal: (to, payload) => {
      const id = `l${++requestSeq}`;
      pendingTo.set(id, to);
      if (pendingTo.size > 256) pendingTo.delete(pendingTo.keys().next().value as string);
      client.send({ type: 'signal.send', id, to: bytesToBase64url(Buffer.from(to, 'hex')), payload });
    },
    contacts: { isMutualOnline: (key) => VISIBLE.has(contacts.presenceOf(key) ?? 'unknown') },
    iceConfiguration: () => buildIceConfiguration({ user: [], server: serverIce, relayOnly: options.relayOnly ?? false, defaults: [] }),
    ownProfileCard: () => vault.profileCard(),
    bindAddress: '127.0.0.1',
    ...(options.tunables ? { tunables: options.tunables } : {}),
  });
  const client = new SignalingClient({ urls: [serverUrl], signer: vault.identity, loginStatus: () => presence.status, random: () => 0 });

  const core: LinkCore = {
    name,
    dir,
    vault,
    hex,
    client,
    presence,
    links,
    states: [],
    warnings: [],
    tamperIncoming: (m) => [m],
    relayed: [],
    stop: () => {
      links.closeAll('shutdown');
      client.stop();
      vault.close();
    },
  };

  const route = (message: ServerMessage): void => {
    switch (message.type) {
      case 'presence.snapshot':
        return presence.handleSnapshot(message);
      case 'presence.update':
        return presence.handleUpdate(message);
      case 'ice.servers':
        serverIce = message.iceServers;
        return;
      case 'signal.relay': {
        const m = { from: bytesToHex(base64urlToBytes(message.from)), payload: message.payload };
        core.relayed.push(m);
        for (const out of core.tamperIncoming(m)) links.handleSignal(out);
        return;
      }
      case 'signal.error': {
        const to = message.id === null ? undefined : pendingTo.get(message.id);
        if (to !== undefined) links.handleSignalFailed(to);
        return;
      }
      default:
        return;
    }
  };
  client.on('connected', (welcome) => {
    serverIce = welcome.iceServers;
    presence.handleConnected({ loginStatus: welcome.loginStatus, limits: welcome.limits });
  });
  client.on('stateChanged', (e) => {
    if (e.prev === 'connected' && e.state !== 'connected') presence.handleDisconnected(e.reason ?? 'DISCONNECTED');
  });
  client.on('message', ({ message }) => route(message));
  presence.on('presenceChanged', (e) => {
    if (VISIBLE.has(e.status)) links.handleContactOnline(e.publicKeyHex);
    else links.handleContactOffline(e.publicKeyHex);
  });
  contacts.on('changed', (e) => {
    if (e.reason === 'added' || e.reason === 'removed') presence.handleContactsChanged();
    if (e.reason === 'removed' && e.publicKey) links.handleContactRemoved(e.publicKey);
  });
  links.on('linkState', (e) => core.states.push(e));
  links.on('securityWarning', (e) => core.warnings.push(e));
  links.on('frame', ({ peer, frame }) => {
    if (frame.type === 'profile.card') contacts.applyProfileCard(peer, frame);
  });
  client.start();
  return core;
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

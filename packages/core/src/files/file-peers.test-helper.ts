import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ndc, { type DataChannel, type PeerConnection } from 'node-datachannel';
import { onTestFinished } from 'vitest';
import { transferIdOfLabel, type FileFrame } from '@discordopus/protocol/files';
import { Connection } from '../vault/connection';
import { MIGRATIONS } from '../vault/migrations/index';
import { migration006 } from '../vault/migrations/006-file-transfers';
import type { Migration } from '../vault/migrations/migration';
import { runMigrations } from '../vault/migrations/run-migrations';
import { configureConnection, openEncrypted } from '../vault/sqlcipher';
import { tempDir } from '../../test/helpers/temp-dir';
import { FileStore } from './file-store';
import { FileTransferService, type FileTransferServiceOptions } from './file-transfer-service';
import type { FileTransferEvents } from './file-events';
import type { FileChannel } from './file-channel';
import { NdcFileChannel, openNdcFileChannel } from './ndc-file-channel';

/**
 * Until 005 (contact requests, another branch) is merged, 006 is applied after a stand-in 005
 * that does nothing, in test vaults only; then this is plain `runMigrations(db)`.
 */
const STAND_IN_005: Migration = { version: 5, name: 'stand-in for 005 (tests only)', up: () => {} };
export const TEST_MIGRATIONS: readonly Migration[] =
  MIGRATIONS.length >= 6 ? MIGRATIONS : [...MIGRATIONS, ...(MIGRATIONS.length === 4 ? [STAND_IN_005] : []), migration006];

/** A real SQLCipher vault file with the file_transfers table; reopen it with the same key. */
export function openFilesVault(path: string, key: Uint8Array): Connection {
  const db = openEncrypted(path, key, { create: true });
  configureConnection(db);
  runMigrations(db, { migrations: TEST_MIGRATIONS });
  return new Connection(db);
}

type Events = { [K in keyof FileTransferEvents]: Parameters<FileTransferEvents[K]>[0][] };

/** One side: its vault, engine, folders and what its engine said. */
export class FileSide {
  readonly name: string;
  readonly hex = randomBytes(32).toString('hex');
  readonly root = tempDir('dopus-files-');
  readonly downloads: string;
  readonly vaultPath: string;
  readonly vaultKey = randomBytes(32);
  conn!: Connection;
  service!: FileTransferService;
  events!: Events;
  pc: PeerConnection | null = null;
  /** The transfer channels on the current pair: closing a peer connection does not report its channels closed, so the owner of the link closes them (as the link layer will). */
  channels = new Set<FileChannel>();
  /** Set by the harness: how this side reaches the other. */
  peer!: FileSide;
  options: Partial<FileTransferServiceOptions>;

  constructor(name: string, options: Partial<FileTransferServiceOptions> = {}) {
    this.name = name;
    this.downloads = join(this.root, 'Downloads', 'DiscordOpus');
    this.vaultPath = join(this.root, 'vault.db');
    this.options = options;
    mkdirSync(join(this.root, 'outgoing'), { recursive: true });
    this.start();
  }

  /** Open the vault and start an engine (again, after `stop`: a restart). */
  start(): void {
    this.conn = openFilesVault(this.vaultPath, this.vaultKey);
    this.events = { offerReceived: [], stateChanged: [], transferStarted: [], progress: [], interrupted: [] };
    this.service = new FileTransferService({
      store: new FileStore({ connection: this.conn }),
      openChannel: (peer, label) => {
        if (peer !== this.peer.hex || this.pc === null) return Promise.reject(new Error('no link'));
        return openNdcFileChannel(this.pc, label).then((channel) => {
          this.channels.add(channel);
          return channel;
        });
      },
      sendControl: (peer, frame: FileFrame) => {
        const target = this.peer;
        if (peer !== target.hex) throw new Error('control frame to a stranger');
        const text = JSON.stringify(frame);
        setImmediate(() => {
          if (target.conn.isOpen) target.service.handleControl(this.hex, text);
        });
      },
      downloadsDir: this.downloads,
      maxReceiveBytes: 2 ** 33,
      autoAcceptVerifiedMaxBytes: 0,
      isVerified: () => false,
      tunables: { checkpointBytes: 512 * 1024, progressIntervalMs: 0 },
      ...this.options,
    });
    for (const event of Object.keys(this.events) as (keyof Events)[]) {
      this.service.on(event, ((e: unknown) => (this.events[event] as unknown[]).push(e)) as never);
    }
  }

  /** Tear the engine down and close the vault, as a killed process leaves them. */
  stop(): void {
    this.service.close();
    this.conn.detach()?.close();
  }

  stateOf(id: string): string | undefined {
    return this.service.get(id)?.state;
  }
}

const LINK_LABEL = 'dopus-start';

/** The incoming channels of a peer connection go to the side's engine (transfers), the link's own channel to `linkUp`, others to `other`. */
function routeChannels(side: FileSide, pc: PeerConnection, other: (dc: DataChannel) => void, linkUp: () => void): void {
  pc.onDataChannel((dc) => {
    if (dc.getLabel() === LINK_LABEL) {
      dc.onMessage(() => {});
      dc.onClosed(() => {});
      let seen = false;
      const opened = (): void => {
        if (seen) return;
        seen = true;
        linkUp();
      };
      dc.onOpen(opened);
      if (dc.isOpen()) opened();
    } else if (transferIdOfLabel(dc.getLabel()) !== null) {
      const channel = new NdcFileChannel(dc);
      side.channels.add(channel);
      side.service.handleIncomingChannel(side.peer.hex, channel);
    }
    else other(dc);
  });
}

/**
 * A bare loopback pair (bindAddress 127.0.0.1, no ICE servers) in the set-up order that
 * ARCHITECTURE found reliable: descriptions without candidates, each handed over on a later
 * turn, the offerer's candidates only after it applied the answer. Resolves once connected.
 */
export async function connectSides(a: FileSide, b: FileSide, onOtherChannel: (side: FileSide, dc: DataChannel) => void = (_s, dc) => dc.close()): Promise<void> {
  a.peer = b;
  b.peer = a;
  const pa = new ndc.PeerConnection(`${a.name}-${Date.now()}`, { iceServers: [], bindAddress: '127.0.0.1' });
  const pb = new ndc.PeerConnection(`${b.name}-${Date.now()}`, { iceServers: [], bindAddress: '127.0.0.1' });
  a.pc = pa;
  b.pc = pb;
  const held: [string, string][] = [];
  let answered = false;
  // Up like a link: connected, and its own channel open on both ends (only then does the link
  // layer hand out channels; one created at the very moment of connecting hung in ~1 of 10 runs).
  let up = 0;
  let markUp: () => void = () => {};
  const linkUp = (): void => {
    if (++up === 2) markUp();
  };
  const connected = new Promise<void>((resolve, reject) => {
    markUp = resolve;
    for (const pc of [pa, pb]) {
      pc.onStateChange((state) => {
        if (state === 'failed') {
          pc.close();
          reject(new Error('the loopback pair failed'));
        }
      });
      pc.onGatheringStateChange(() => {});
      pc.onSignalingStateChange(() => {});
      pc.onIceStateChange(() => {});
    }
  });
  routeChannels(a, pa, (dc) => onOtherChannel(a, dc), () => {});
  routeChannels(b, pb, (dc) => onOtherChannel(b, dc), linkUp);
  pa.onLocalDescription((sdp, type) => setImmediate(() => pb.setRemoteDescription(sdp, type)));
  pb.onLocalDescription((sdp, type) =>
    setImmediate(() => {
      pa.setRemoteDescription(sdp, type);
      answered = true;
      const batch = held.splice(0);
      setImmediate(() => {
        for (const [c, m] of batch) pb.addRemoteCandidate(c, m);
      });
    }),
  );
  pa.onLocalCandidate((c, m) => (answered ? setImmediate(() => pb.addRemoteCandidate(c, m)) : held.push([c, m])));
  pb.onLocalCandidate((c, m) => setImmediate(() => pa.addRemoteCandidate(c, m)));
  // The link's own channel (it also starts the negotiation).
  const starter = pa.createDataChannel(LINK_LABEL);
  starter.onClosed(() => {});
  starter.onMessage(() => {});
  let starterUp = false;
  const starterOpened = (): void => {
    if (starterUp) return;
    starterUp = true;
    linkUp();
  };
  starter.onOpen(starterOpened);
  if (starter.isOpen()) starterOpened();
  onTestFinished(() => disconnectSides(a, b));
  await connected;
}

/** Close the pair (a dropped link): both engines see their channels close. */
export function disconnectSides(a: FileSide, b: FileSide): void {
  for (const side of [a, b]) {
    const pc = side.pc;
    side.pc = null;
    for (const channel of side.channels) channel.close();
    side.channels.clear();
    pc?.close();
  }
}

export function twoSides(options: { alice?: Partial<FileTransferServiceOptions>; bob?: Partial<FileTransferServiceOptions> } = {}): { alice: FileSide; bob: FileSide } {
  const alice = new FileSide('alice', options.alice);
  const bob = new FileSide('bob', options.bob);
  alice.peer = bob;
  bob.peer = alice;
  onTestFinished(() => {
    for (const side of [alice, bob]) if (side.conn.isOpen) side.stop();
  });
  return { alice, bob };
}

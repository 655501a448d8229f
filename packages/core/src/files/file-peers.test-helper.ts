import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataChannel, PeerConnection } from 'node-datachannel';
import { onTestFinished } from 'vitest';
import { transferIdOfLabel, type FileFrame } from '@discordopus/protocol/files';
import { tempDir } from '../../test/helpers/temp-dir';
import type { Connection } from '../vault/connection';
import { FileStore } from './file-store';
import { openFilesVault } from './files-vault.test-helper';
import { FileTransferService, type FileTransferServiceOptions } from './file-transfer-service';
import type { FileTransferEvents } from './file-events';
import type { FileChannel } from './file-channel';
import { NdcFileChannel, openNdcFileChannel } from './ndc-file-channel';
import { openLoopbackPairWithRetry } from './loopback-pair.test-helper';
import { type FileTunables, writeAll } from './transfer-tunables';

export { TEST_MIGRATIONS } from './files-vault.test-helper';

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
        return openNdcFileChannel(this.pc, label, { timeoutMs: 5_000 }).then((channel) => {
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

/** A transfer channel the other side opened goes to this side's engine; any other to `other`. */
function routeChannel(side: FileSide, dc: DataChannel, other: (side: FileSide, dc: DataChannel) => void): void {
  if (transferIdOfLabel(dc.getLabel()) === null) return other(side, dc);
  const channel = new NdcFileChannel(dc);
  side.channels.add(channel);
  side.service.handleIncomingChannel(side.peer.hex, channel);
}

/** Connect the two sides with a fresh loopback pair (a link coming up). */
export async function connectSides(a: FileSide, b: FileSide, onOtherChannel: (side: FileSide, dc: DataChannel) => void = (_s, dc) => dc.close()): Promise<void> {
  a.peer = b;
  b.peer = a;
  const pair = await openLoopbackPairWithRetry(`${a.name}-${b.name}`, {
    a: (dc) => routeChannel(a, dc, onOtherChannel),
    b: (dc) => routeChannel(b, dc, onOtherChannel),
  });
  a.pc = pair.a;
  b.pc = pair.b;
  onTestFinished(() => disconnectSides(a, b));
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

/**
 * Receiver tunables whose chunk writer fails like the disk would: once more than `afterBytes`
 * have been written it throws a Node-style error with `code` (EACCES, ENOSPC…). Checkpoints every
 * 64 KiB and progress on every chunk, so the failure lands mid-transfer (FILE-01, FILE-03).
 */
export function writesFailingAfter(afterBytes: number, error: { code: string; message: string }): Partial<FileTunables> {
  let written = 0;
  return {
    checkpointBytes: 64 * 1024,
    progressIntervalMs: 0,
    writeChunk: (fd, data, position) => {
      written += data.byteLength;
      if (written > afterBytes) throw Object.assign(new Error(error.message), { code: error.code });
      writeAll(fd, data, position);
    },
  };
}

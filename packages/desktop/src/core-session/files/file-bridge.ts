import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type ClientCore, ContactError, FileTransferError, type FileTransferRecord, type Logger, type Vault } from '@discordopus/core';
import {
  BRIDGE_LIMITS,
  FILE_BRIDGE_LIMITS,
  type BridgeHandlers,
  type FileTransferView,
  type fileCalls,
  type BridgeEmit,
} from '@discordopus/protocol/bridge';
import { FileBridgeError } from './file-bridge-error';
import type { FolderOpener } from './folder-opener';
import { boundedPage } from './list-page';
import { UploadStager } from './upload-stager';

type FileMethod = keyof typeof fileCalls;
type TransferRecord = FileTransferRecord;
type Actor = 'local' | 'peer' | null;

const ENDED = new Set(['complete', 'declined', 'cancelled', 'failed']);

export interface FileBridgeOptions {
  core: ClientCore;
  vault: Pick<Vault, 'files' | 'contacts'>;
  /** The profile folder: uploads are staged in its `outgoing` folder. */
  profileDir: string;
  emit: BridgeEmit;
  openFolder: FolderOpener;
  now: () => number;
  logger: Logger;
  /** Tests: a smaller upload limit, a full disk, a short idle time. */
  stager?: { maxUploads?: number; idleMs?: number; freeBytes?: (dir: string) => Promise<number>; marginBytes?: number };
}

/** The basename of a received file, never a path (the window is not told where the disk is). */
function finalNameOf(path: string | null): string | null {
  if (path === null) return null;
  const name = basename(path);
  return name === '' || name === '.' || name === '..' ? null : name;
}

/** A failure as the bridge carries it: a bounded code (never empty) and sentence. */
function failureOf(failure: { code: string; message: string } | null): FileTransferView['failure'] {
  if (failure === null) return null;
  return { code: failure.code.slice(0, BRIDGE_LIMITS.errorCodeChars) || 'INTERNAL', message: failure.message.slice(0, BRIDGE_LIMITS.reasonChars) };
}

/** Who ended a transfer when this run did not see it happen: only a decline says it by itself. */
function impliedActor(record: TransferRecord): Actor {
  if (record.state !== 'declined') return null;
  return record.direction === 'in' ? 'local' : 'peer';
}

/**
 * The bridge's file calls and events for one open profile (FILE-01..03): uploads from the
 * window staged in the profile folder and offered by the core, the receiver's decisions,
 * conversation lists, "Open folder", and the core's file events as bridge events. A staged file
 * is removed when its transfer ends, when its upload is aborted, and (leftovers) at start.
 */
export class FileBridge {
  readonly #o: FileBridgeOptions;
  readonly #stager: UploadStager;
  /** Who declined, cancelled or failed a transfer, as seen this run. */
  readonly #actors = new Map<string, Actor>();
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: FileBridgeOptions) {
    this.#o = options;
    this.#stager = new UploadStager({ dir: join(options.profileDir, 'outgoing'), now: options.now, logger: options.logger, ...options.stager });
  }

  /** Forward the core's file events and remove staged files no transfer needs any more. */
  async start(): Promise<void> {
    const { core, emit } = this.#o;
    this.#unsubscribe.push(
      core.on('fileOffered', ({ transfer, autoAccepted }) => {
        // An offer over the receive limit arrives already failed: this side refused it.
        if (transfer.state === 'failed') this.#actors.set(transfer.id, 'local');
        emit('files.offered', { transfer: this.view(transfer), autoAccepted });
      }),
      core.on('fileProgress', (e) => {
        const record = this.#o.vault.files.get(e.id);
        if (record === null) return;
        const secondsLeft = e.etaMs === null ? null : Math.ceil(e.etaMs / 1000);
        emit('files.progress', { publicKey: record.peer, id: e.id, direction: e.direction, bytes: e.bytes, size: e.size, bytesPerSecond: e.bytesPerSecond, secondsLeft });
      }),
      core.on('fileStateChanged', (e) => {
        const record = this.#o.vault.files.get(e.id);
        if (record === null) return;
        if (e.by !== null && ENDED.has(e.state) && e.state !== 'complete') this.#actors.set(e.id, e.by);
        emit('files.stateChanged', { publicKey: record.peer, id: e.id, direction: e.direction, state: e.state, by: e.by, failure: failureOf(e.failure), finalName: finalNameOf(e.finalPath) });
        // The staged copy of a file sent from the window is not needed once its transfer ended.
        if (e.direction === 'out' && ENDED.has(e.state) && this.#stager.owns(record.sourcePath)) void this.#stager.remove(record.sourcePath);
      }),
      // FILE-02: the link under a running transfer dropped; the window stops showing it as moving.
      core.on('fileInterrupted', (e) => {
        const record = this.#o.vault.files.get(e.id);
        if (record === null) return;
        emit('files.interrupted', { publicKey: record.peer, id: e.id, direction: e.direction, bytes: Math.min(e.bytes, record.size) });
      }),
    );
    // A removed (or blocked) contact's transfers end, so their staged copies go (FILE-01).
    this.#unsubscribe.push(
      this.#o.vault.contacts.on('changed', ({ reason, publicKey }) => {
        if (reason === 'removed' && publicKey !== null) void this.#endTransfersOf(publicKey);
      }),
    );
    // Those of contacts removed while this profile was closed (or before this rule) end now.
    const orphans = new Set(core.transfers({ active: true }).flatMap((r) => (this.#o.vault.contacts.get(r.peer) === null ? [r.peer] : [])));
    for (const peer of orphans) await this.#endTransfersOf(peer);
    const keep = new Set(this.#o.core.transfers({ active: true }).flatMap((r) => (r.direction === 'out' && r.sourcePath !== null ? [r.sourcePath] : [])));
    const removed = await this.#stager.sweep(keep);
    if (removed > 0) this.#o.logger.info({ removed }, 'stale staged uploads removed');
  }

  /** Stop forwarding events and drop the uploads in progress. */
  async close(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#stager.close();
  }

  view(record: TransferRecord): FileTransferView {
    return {
      id: record.id,
      peer: record.peer,
      direction: record.direction,
      name: record.name,
      size: record.size,
      mime: record.mime,
      caption: record.caption,
      preview: record.preview === null ? null : { mime: record.preview.mime, data: Buffer.from(record.preview.bytes).toString('base64') },
      state: record.state,
      by: ENDED.has(record.state) && record.state !== 'complete' ? (this.#actors.get(record.id) ?? impliedActor(record)) : null,
      bytesDone: Math.min(record.bytesDone, record.size),
      paused: this.#o.core.transferPaused(record),
      failure: failureOf(record.failure),
      sentAt: record.sentAt,
      finalName: record.direction === 'in' && record.state === 'complete' ? finalNameOf(record.finalPath) : null,
    };
  }

  /** Cancel every unfinished transfer with `peer` and drop uploads to them; the staged copies go. */
  async #endTransfersOf(peer: string): Promise<void> {
    await this.#stager.abortFor(peer);
    for (const record of this.#o.core.transfers({ peer, active: true })) {
      try {
        this.#o.core.cancelFile(record.id);
      } catch (err) {
        this.#o.logger.warn({ code: (err as { code?: unknown }).code }, 'a transfer of a removed contact could not be cancelled');
        if (record.direction === 'out' && this.#stager.owns(record.sourcePath)) await this.#stager.remove(record.sourcePath);
      }
    }
  }

  /** Files sent from the window that have not ended (each keeps a staged copy), and uploads in progress. */
  #outgoingCount(): number {
    return this.#o.core.transfers({ active: true }).filter((r) => r.direction === 'out' && this.#stager.owns(r.sourcePath)).length + this.#stager.count;
  }

  #record(id: string): TransferRecord {
    const record = this.#o.vault.files.get(id);
    if (record === null) throw FileTransferError.notFound();
    return record;
  }

  readonly handlers: Pick<BridgeHandlers, FileMethod> = {
    'files.beginUpload': async ({ publicKey, name, size, mime, caption, preview }) => {
      if (this.#o.vault.contacts.get(publicKey) === null) throw ContactError.notFound();
      if (this.#outgoingCount() >= FILE_BRIDGE_LIMITS.maxOutgoing) throw FileBridgeError.queueFull();
      const previewBytes = preview === null ? null : { mime: preview.mime, bytes: new Uint8Array(Buffer.from(preview.data, 'base64')) };
      const uploadId = await this.#stager.begin({ publicKey, name, size, mime, caption, preview: previewBytes });
      return { uploadId };
    },
    'files.uploadChunk': async ({ uploadId, offset, data }) => ({ received: await this.#stager.chunk(uploadId, offset, data) }),
    'files.endUpload': async ({ uploadId }) => {
      const { path, info } = await this.#stager.finish(uploadId);
      try {
        // The contact may have been removed while the bytes came: no offer to a stranger.
        if (this.#o.vault.contacts.get(info.publicKey) === null) throw ContactError.notFound();
        const record = await this.#o.core.offerFile(info.publicKey, path, { name: info.name, mime: info.mime, caption: info.caption, preview: info.preview });
        return this.view(record);
      } catch (err) {
        await this.#stager.remove(path);
        throw err;
      }
    },
    'files.abortUpload': async ({ uploadId }) => {
      await this.#stager.abort(uploadId);
      return null;
    },
    'files.accept': async ({ id }) => {
      this.#o.core.acceptFile(id);
      return this.view(this.#record(id));
    },
    'files.decline': async ({ id }) => {
      this.#o.core.declineFile(id);
      return this.view(this.#record(id));
    },
    'files.cancel': async ({ id }) => {
      this.#o.core.cancelFile(id);
      return this.view(this.#record(id));
    },
    'files.list': async ({ publicKey, before, limit }) => {
      if (this.#o.vault.contacts.get(publicKey) === null) throw ContactError.notFound();
      // Paged in SQL: a page reads its own rows (previews included) only, not the conversation's.
      const page = this.#o.vault.files.page(publicKey, before ?? null, limit ?? FILE_BRIDGE_LIMITS.listPage);
      if (page === null) throw FileTransferError.notFound();
      return boundedPage(page.records.map((r) => this.view(r)), page.more);
    },
    'files.openFolder': async ({ id }) => {
      const record = this.#record(id);
      if (record.direction !== 'in' || record.state !== 'complete' || record.finalPath === null) throw FileBridgeError.notComplete();
      const dir = dirname(record.finalPath);
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw FileBridgeError.folderGone();
      try {
        await this.#o.openFolder(dir);
      } catch (err) {
        // xdg-open missing on a minimal system, for instance: a clear refusal, logged without the path.
        this.#o.logger.warn({ code: (err as { code?: unknown }).code }, 'the file manager could not be started');
        throw FileBridgeError.openerFailed(err);
      }
      return null;
    },
  };
}

/** The file calls on the open profile's FileBridge (`files()` throws VAULT_CLOSED / SESSION_CLOSED as every other call does). */
export function fileHandlers(files: () => FileBridge): Pick<BridgeHandlers, FileMethod> {
  const h = () => files().handlers;
  return {
    'files.beginUpload': (p) => h()['files.beginUpload'](p),
    'files.uploadChunk': (p) => h()['files.uploadChunk'](p),
    'files.endUpload': (p) => h()['files.endUpload'](p),
    'files.abortUpload': (p) => h()['files.abortUpload'](p),
    'files.accept': (p) => h()['files.accept'](p),
    'files.decline': (p) => h()['files.decline'](p),
    'files.cancel': (p) => h()['files.cancel'](p),
    'files.list': (p) => h()['files.list'](p),
    'files.openFolder': (p) => h()['files.openFolder'](p),
  };
}

import { FILE_BRIDGE_LIMITS, type FileTransferView, type Settings } from '@discordopus/protocol/bridge';
import type { Bridge } from '../../bridge/bridge-client';
import { bytesToBase64 } from '../../lib/base64';
import { errorMessage } from '../../lib/error-message';
import type { AppStore } from '../../store/app-store';
import type { ImagePreview } from './make-preview';

/** At most this many pages of transfers are read to cover the messages on screen. */
const MAX_PAGES_AT_ONCE = 10;

export interface SendFileOptions {
  caption: string | null;
  preview: ImagePreview | null;
  /** The name to offer it under (a pasted image has none of its own). */
  name?: string;
}

/**
 * What the user does with files (FILE-01..03). The window cannot hand the desktop a path, so
 * sending copies the file's bytes over the bridge first (files.beginUpload → uploadChunk … →
 * endUpload), with its own progress in the store; then the core offers it. Each action sets
 * the store from the core's answer; errors keep the core's code and sentence.
 */
export interface FileActions {
  /** Copy a file to the desktop and offer it to the contact; resolves with the offered transfer, or null when cancelled. */
  sendFile(publicKey: string, file: Blob, options: SendFileOptions): Promise<FileTransferView | null>;
  /** Stop an upload that is still on its way to the desktop (or forget one that failed). */
  cancelUpload(key: string): void;
  /**
   * The contact's newest transfers, then older pages until those sent from `coverFrom` on are
   * loaded (the oldest message shown; -Infinity when all messages are: then every transfer).
   */
  loadTransfers(publicKey: string, coverFrom: number): Promise<void>;
  /** More older pages, until those sent from `coverFrom` on are loaded (older messages came in). */
  loadOlderTransfers(publicKey: string, coverFrom: number): Promise<void>;
  acceptFile(id: string): Promise<FileTransferView>;
  declineFile(id: string): Promise<FileTransferView>;
  cancelFile(id: string): Promise<FileTransferView>;
  /** The desktop shows the folder that holds a received file (never opens the file itself). */
  openFileFolder(id: string): Promise<void>;
  /** FILE-01, FILE-03: the downloads folder (null: back to the default), the receive limit, auto-accept (0: off). */
  updateFileSettings(change: { downloadsDir?: string | null; maxReceiveBytes?: number; autoAcceptVerifiedMaxBytes?: number }): Promise<Settings>;
}

function fileName(file: Blob, override: string | undefined): string {
  if (override !== undefined && override.trim() !== '') return override;
  const own = (file as Partial<File>).name;
  return typeof own === 'string' && own !== '' ? own : 'file';
}

export function createFileActions(bridge: Bridge, store: AppStore): FileActions {
  const state = () => store.getState();
  const stopped = new Set<string>();
  let uploads = 0;

  async function olderPages(publicKey: string, coverFrom: number): Promise<void> {
    for (let page = 0; page < MAX_PAGES_AT_ONCE; page++) {
      const before = state().transferCursors[publicKey];
      if (before === undefined || before === null) return;
      const known = Object.values(state().transfers).filter((t) => t.peer === publicKey);
      const oldest = Math.min(...known.map((t) => t.sentAt));
      if (oldest <= coverFrom) return;
      const result = await bridge.call('files.list', { publicKey, before });
      state().addOlderTransfers(publicKey, result.transfers, result.olderCursor);
    }
  }

  const stored = (transfer: FileTransferView): FileTransferView => {
    state().upsertTransfer(transfer);
    return transfer;
  };

  return {
    sendFile: async (publicKey, file, options) => {
      const key = `upload-${++uploads}`;
      const name = fileName(file, options.name);
      const base = { key, peer: publicKey, name, size: file.size };
      state().setUpload({ ...base, sent: 0, error: null });
      let uploadId: string | null = null;
      try {
        ({ uploadId } = await bridge.call('files.beginUpload', {
          publicKey,
          name,
          size: file.size,
          mime: file.type === '' ? 'application/octet-stream' : file.type,
          caption: options.caption,
          preview: options.preview,
        }));
        for (let offset = 0; offset < file.size; ) {
          if (stopped.has(key)) break;
          const bytes = new Uint8Array(await file.slice(offset, offset + FILE_BRIDGE_LIMITS.uploadChunkBytes).arrayBuffer());
          if (bytes.length === 0) throw new Error('the file became shorter while it was read');
          await bridge.call('files.uploadChunk', { uploadId, offset, data: bytesToBase64(bytes) });
          offset += bytes.length;
          if (!stopped.has(key)) state().setUpload({ ...base, sent: offset, error: null });
        }
        if (stopped.has(key)) {
          await bridge.call('files.abortUpload', { uploadId }).catch(() => undefined);
          return null;
        }
        const transfer = await bridge.call('files.endUpload', { uploadId });
        state().removeUpload(key);
        return stored(transfer);
      } catch (error) {
        if (uploadId !== null) await bridge.call('files.abortUpload', { uploadId }).catch(() => undefined);
        if (stopped.has(key)) return null;
        state().setUpload({ ...base, sent: 0, error: errorMessage(error) });
        throw error;
      } finally {
        if (stopped.delete(key)) state().removeUpload(key);
      }
    },
    cancelUpload: (key) => {
      const upload = state().uploads[key];
      if (upload === undefined) return;
      if (upload.error !== null) state().removeUpload(key);
      else stopped.add(key);
    },
    loadTransfers: async (publicKey, coverFrom) => {
      const first = await bridge.call('files.list', { publicKey });
      state().setTransfers(publicKey, first.transfers, first.olderCursor);
      await olderPages(publicKey, coverFrom);
    },
    loadOlderTransfers: (publicKey, coverFrom) => olderPages(publicKey, coverFrom),
    acceptFile: async (id) => stored(await bridge.call('files.accept', { id })),
    declineFile: async (id) => stored(await bridge.call('files.decline', { id })),
    cancelFile: async (id) => stored(await bridge.call('files.cancel', { id })),
    openFileFolder: async (id) => {
      await bridge.call('files.openFolder', { id });
    },
    updateFileSettings: async (change) => {
      const settings = await bridge.call('settings.set', change);
      state().setSettings(settings);
      return settings;
    },
  };
}

import type { StateCreator } from 'zustand/vanilla';
import type { FileInterruption, FileProgress, FileStateChange, FileTransferView } from '@discordopus/protocol/bridge';

/** A file being copied from the window to the desktop before it is offered (FILE-01). */
export interface Upload {
  /** The window's own key for it (the bridge's uploadId comes later). */
  key: string;
  peer: string;
  name: string;
  size: number;
  /** Bytes the desktop has taken so far. */
  sent: number;
  /** Why it stopped, in words; null while it runs. */
  error: string | null;
}

/**
 * FILE-01..03: the transfers the window knows of, by ID (loaded per conversation and kept up to
 * date by the core's events), their latest progress, and the uploads still on their way to the
 * desktop. Plain setters (CONVENTIONS 12); the bridge layer decides what to set.
 */
export interface FilesSlice {
  transfers: Record<string, FileTransferView>;
  /** The newest progress sample per transfer ID (cleared when the transfer ends). */
  fileProgress: Record<string, FileProgress>;
  /**
   * FILE-02: transfers whose link dropped mid-way, by ID, with the bytes they continue from. Set by
   * `files.interrupted`; cleared by the transfer's next progress or state change (it resumes by itself).
   */
  fileInterruptions: Record<string, FileInterruption>;
  uploads: Record<string, Upload>;
  /** Per contact: where the next older page of transfers starts (null: all loaded; absent: none loaded yet). */
  transferCursors: Record<string, string | null>;
  /** One contact's newest page of transfers (replaces what was known of that contact). */
  setTransfers(peer: string, transfers: readonly FileTransferView[], olderCursor: string | null): void;
  /** An older page of one contact's transfers (added to what is known). */
  addOlderTransfers(peer: string, transfers: readonly FileTransferView[], olderCursor: string | null): void;
  upsertTransfer(transfer: FileTransferView): void;
  /** A state change of a known transfer; one not loaded yet is left for the next listing. */
  applyFileState(change: FileStateChange): void;
  setFileProgress(progress: FileProgress): void;
  setFileInterrupted(interruption: FileInterruption): void;
  setUpload(upload: Upload): void;
  removeUpload(key: string): void;
}

const ENDED = new Set<FileTransferView['state']>(['complete', 'declined', 'cancelled', 'failed']);

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!Object.hasOwn(record, key)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/**
 * FILE-02: the pauses a listing tells of (after a restart the window has seen no
 * `files.interrupted`); a pause the window already knows keeps its own bytes.
 */
function withListedPauses(known: Record<string, FileInterruption>, views: readonly FileTransferView[]): Record<string, FileInterruption> {
  const paused = views.filter((v) => v.paused && v.state === 'accepted' && !Object.hasOwn(known, v.id));
  if (paused.length === 0) return known;
  return { ...known, ...Object.fromEntries(paused.map((v) => [v.id, { publicKey: v.peer, id: v.id, direction: v.direction, bytes: v.bytesDone }])) };
}

export const createFilesSlice: StateCreator<FilesSlice, [], [], FilesSlice> = (set) => ({
  transfers: {},
  fileProgress: {},
  fileInterruptions: {},
  uploads: {},
  transferCursors: {},
  setTransfers: (peer, list, olderCursor) =>
    set((state) => {
      const others = Object.values(state.transfers).filter((t) => t.peer !== peer);
      return {
        transfers: Object.fromEntries([...others, ...list].map((t) => [t.id, t])),
        fileInterruptions: withListedPauses(state.fileInterruptions, list),
        transferCursors: { ...state.transferCursors, [peer]: olderCursor },
      };
    }),
  addOlderTransfers: (peer, list, olderCursor) =>
    set((state) => ({
      // What an event already said about a transfer is newer than a page: keep it.
      transfers: { ...Object.fromEntries(list.map((t) => [t.id, t])), ...state.transfers },
      fileInterruptions: withListedPauses(state.fileInterruptions, list.filter((t) => !Object.hasOwn(state.transfers, t.id))),
      transferCursors: { ...state.transferCursors, [peer]: olderCursor },
    })),
  upsertTransfer: (transfer) =>
    set((state) => ({
      transfers: { ...state.transfers, [transfer.id]: transfer },
      fileProgress: ENDED.has(transfer.state) ? without(state.fileProgress, transfer.id) : state.fileProgress,
      fileInterruptions: ENDED.has(transfer.state) ? without(state.fileInterruptions, transfer.id) : withListedPauses(state.fileInterruptions, [transfer]),
    })),
  applyFileState: ({ id, state: next, by, failure, finalName }) =>
    set((state) => {
      const known = state.transfers[id];
      if (known === undefined) return {};
      const done = next === 'complete' ? known.size : known.bytesDone;
      const updated: FileTransferView = { ...known, state: next, by, failure, bytesDone: done, paused: false, finalName: finalName ?? known.finalName };
      return {
        transfers: { ...state.transfers, [id]: updated },
        fileProgress: ENDED.has(next) ? without(state.fileProgress, id) : state.fileProgress,
        // Any state change ends a pause (it completed, or someone cancelled it meanwhile).
        fileInterruptions: without(state.fileInterruptions, id),
      };
    }),
  setFileProgress: (progress) =>
    set((state) => {
      const known = state.transfers[progress.id];
      // A late sample after the end changes nothing.
      if (known !== undefined && ENDED.has(known.state)) return {};
      // Bytes move again: the pause is over.
      return { fileProgress: { ...state.fileProgress, [progress.id]: progress }, fileInterruptions: without(state.fileInterruptions, progress.id) };
    }),
  setFileInterrupted: (interruption) =>
    set((state) => {
      const known = state.transfers[interruption.id];
      // Only a running transfer can be paused; a late notice after the end changes nothing.
      if (known !== undefined && known.state !== 'accepted') return {};
      return { fileInterruptions: { ...state.fileInterruptions, [interruption.id]: interruption } };
    }),
  setUpload: (upload) => set((state) => ({ uploads: { ...state.uploads, [upload.key]: upload } })),
  removeUpload: (key) => set((state) => ({ uploads: without(state.uploads, key) })),
});

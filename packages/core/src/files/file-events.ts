import type { FileTransferRecord, TransferDirection, TransferFailure, TransferState } from './file-store';
import type { ProgressSample } from './progress-meter';

/** The engine's events (CONVENTIONS 6): one map, single-object payloads. */
export type FileTransferEvents = {
  /** A contact offered a file (stored; `autoAccepted` when the auto-accept setting took it). */
  offerReceived: (e: { transfer: FileTransferRecord; autoAccepted: boolean }) => void;
  /** A transfer moved: accepted, complete, declined, cancelled (`by` who) or failed (`failure`). */
  stateChanged: (e: {
    id: string;
    direction: TransferDirection;
    state: TransferState;
    prev: TransferState;
    by: 'local' | 'peer' | null;
    failure: TransferFailure | null;
    finalPath: string | null;
  }) => void;
  /** Bytes flow on a channel, from `offset` (0 at first, where it stopped on a resume, FILE-02). */
  transferStarted: (e: { id: string; direction: TransferDirection; offset: number }) => void;
  /** Bytes so far, speed and time left (throttled; the last byte always reported). */
  progress: (e: { id: string; direction: TransferDirection } & ProgressSample) => void;
  /** The channel went away mid-transfer; it continues from `bytes` when the contact is back. */
  interrupted: (e: { id: string; direction: TransferDirection; bytes: number }) => void;
};

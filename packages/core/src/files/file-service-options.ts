import type { FileFrame } from '@discordopus/protocol/files';
import type { OpenFileChannel } from './file-channel';
import type { FileStore } from './file-store';
import type { FileTunables } from './transfer-tunables';

export interface FileTransferServiceOptions {
  store: FileStore;
  /** Opens a transfer's own data channel to a contact (the link layer's, or a test pair's). */
  openChannel: OpenFileChannel;
  /** Sends a control frame over the contact's link (offer, decline, cancel, error, complete). */
  sendControl: (peer: string, frame: FileFrame) => void;
  /** Settings (FILE-03): where accepted files go, the size limit, auto-accept from verified contacts. */
  downloadsDir: string;
  maxReceiveBytes: number;
  autoAcceptVerifiedMaxBytes: number;
  isVerified: (peer: string) => boolean;
  now?: () => number;
  randomId?: () => Uint8Array;
  tunables?: Partial<FileTunables>;
  /** Unanswered incoming offers one contact may have stored; more are refused (TOO_MANY_OFFERS) and counted. */
  maxPendingOffers?: number;
}

/** Unanswered incoming offers kept per contact (FILE-01): a flood of offers cannot grow the vault without bound. */
export const MAX_PENDING_OFFERS_PER_CONTACT = 64;

export interface OfferFileInput {
  peer: string;
  path: string;
  /** Shown to the receiver; defaults to the file's own name. */
  name?: string;
  mime?: string;
  caption?: string | null;
  /** A small JPEG/PNG/WebP made by the caller (the UI), at most 32 KiB. */
  preview?: { mime: 'image/jpeg' | 'image/png' | 'image/webp'; bytes: Uint8Array } | null;
}

/** What the store hands out: one message as the UI shows it (MSG-01..03). */

export type MessageState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface Reaction {
  emoji: string;
  /** Public keys (hex) of who reacted with it, sorted. */
  by: string[];
}

export interface StoredMessage {
  /** 128-bit random ID, base64url (22 characters). */
  id: string;
  /** The contact the conversation is with (public key, hex). */
  peer: string;
  /** The author's public key (hex): this side's own key or `peer`. */
  author: string;
  outgoing: boolean;
  /** The author's sequence number of this message's send (PROTOCOL.md §7.3). */
  seq: number;
  /** '' when deleted. */
  text: string;
  /** The author's clock when it was written. */
  sentAt: number;
  /** This side's clock when it was stored. */
  receivedAt: number;
  /** Own messages: queued → sent → delivered → read, or failed. The peer's: delivered → read. */
  state: MessageState;
  failure: string | null;
  replyTo: string | null;
  editedAt: number | null;
  deleted: boolean;
  reactions: Reaction[];
  /** Opaque history cursor of this message (for `history({ before | after })`). */
  cursor: string;
}

export interface HistoryPage {
  /** Oldest first. */
  messages: StoredMessage[];
  /** Pass as `before` for the next older page; null when this page reaches the start. */
  olderCursor: string | null;
  /** Pass as `after` for the next newer page; null when this page reaches the end. */
  newerCursor: string | null;
}

export interface ConversationSummary {
  peer: string;
  unread: number;
  muted: boolean;
  lastActivityAt: number;
}

/** The sync points of one conversation (PROTOCOL.md §7.3). */
export interface SyncPoints {
  ownSeq: number;
  peerAcked: number;
  peerRead: number;
  received: number;
  read: number;
  /** This side's numbering epoch (base64url), null before the conversation exists. */
  ownEpoch: string | null;
  /** Our epoch continues a stream the peer may hold without an epoch (said as `continued` in the resume). */
  ownEpochContinued: boolean;
  /** The peer's epoch that `received` counts in, null when not told yet. */
  peerEpoch: string | null;
  /** The peer's changes are stored under wire number + this (received and read are local). */
  peerSeqBase: number;
}

import type { FileTransferEvents } from '../files/file-events';
import type { FileTransferRecord } from '../files/file-store';
import type { LinkCloseReason, OwnStatus, SignalErrorCode } from '@discordopus/protocol';
import type { CallFrame } from '@discordopus/protocol/calls';
import type { IceConfiguration } from '../ice/ice-config';
import type { LinkPath } from '../links/engine/link-transport';
import type { LinkState } from '../links/link-events';
import type { StoredMessage } from '../messages/message-types';
import type { ContactPresence } from '../presence/presence-events';
import type { ConnectionStatus } from '../signaling/signaling-events';

/**
 * The client core's own event stream (for the desktop bridge, the CLI, tests and, later, the
 * link manager). Each fact is announced once: changes the stores already announce (contacts,
 * settings) are not repeated here; subscribe to the store.
 */
export type ClientCoreEvents = {
  /** The signaling connection changed state (UI-01 connection indicator). */
  connectionChanged: (e: ConnectionStatus) => void;
  /** One contact's presence changed (PRES-02). `publicKey` is hex. */
  presenceChanged: (e: { publicKey: string; status: ContactPresence; lastSeenAt: number | null }) => void;
  /** Every contact's presence became `unknown` at once (the server connection was lost). */
  presenceReset: (e: { reason: string }) => void;
  /** The user's own status changed (PRES-01). */
  statusChanged: (e: { status: OwnStatus }) => void;
  /** A new ICE configuration (a new welcome, refreshed TURN credentials, settings) (INFR-02). */
  iceChanged: (e: IceConfiguration) => void;
  /**
   * A direct link to a contact changed (P2P-01, P2P-03): a state transition, or a new path or
   * round-trip time on an open link ("Direct · 3 ms"). Never the same fact twice in a row.
   */
  linkChanged: (e: LinkChange) => void;
  /** Someone tampered with a link's set-up or handshake (P2P-02): show it on that contact. */
  linkSecurityWarning: (e: LinkSecurityWarning) => void;
  /** MSG-01: a message appeared in a conversation (sent from here or received). `peer` is hex. */
  messageAdded: (e: { peer: string; message: StoredMessage }) => void;
  /** MSG-03: a message was edited, deleted (a tombstone) or its reactions changed. */
  messageUpdated: (e: { peer: string; message: StoredMessage }) => void;
  /** MSG-01: own messages with `seq` ≤ `upToSeq` reached `state` (one event covers many). */
  messageReceipt: (e: MessageReceipt) => void;
  /** MSG-04: the number of unread messages in a conversation changed. */
  unreadChanged: (e: { peer: string; unread: number }) => void;
  /** MSG-01: the contact started or stopped typing (expires by itself). */
  typingChanged: (e: { peer: string; typing: boolean }) => void;
  /** FILE-01: a contact offered a file (stored; `autoAccepted` when auto-accept took it). */
  fileOffered: (e: { transfer: FileTransferRecord; autoAccepted: boolean }) => void;
  /** FILE-01: bytes so far, speed and time left of a transfer (throttled; the end always reported). */
  fileProgress: (e: Parameters<FileTransferEvents['progress']>[0]) => void;
  /** FILE-01/02: a transfer was accepted, completed, declined, cancelled (`by`) or failed. */
  fileStateChanged: (e: Parameters<FileTransferEvents['stateChanged']>[0]) => void;
  /**
   * FILE-02: a transfer's channel went away mid-transfer (the link dropped, the contact left);
   * it stays accepted and continues from `bytes` by itself once a link to the contact is back.
   */
  fileInterrupted: (e: Parameters<FileTransferEvents['interrupted']>[0]) => void;
  /** VOICE-02: a call frame from the contact's authenticated link, for the app window. `peer` is hex. */
  callFrame: (e: { peer: string; frame: CallFrame }) => void;
};

export interface MessageReceipt {
  /** The contact's public key, hex. */
  peer: string;
  state: 'sent' | 'delivered' | 'read';
  upToSeq: number;
}

/** One contact's direct link as the app sees it (also the shape of `links()`). */
export interface LinkChange {
  /** The contact's public key, hex. */
  publicKey: string;
  state: LinkState;
  /** Why it closed (state `closed` only), else null. */
  reason: LinkCloseReason | null;
  /** Direct (host/srflx/prflx) or relayed (TURN), once ICE has chosen; else null. */
  path: LinkPath | null;
  /** The last heartbeat round trip, once measured; else null. */
  rttMs: number | null;
}

export interface LinkSecurityWarning {
  /** The contact's public key, hex (as the relay named the sender). */
  publicKey: string;
  code: 'LINK_AUTH_FAILED';
  /** One sentence for the user. */
  reason: string;
}

export type OpenLinkResult =
  | { ok: true; state: LinkState }
  | { ok: false; code: 'NOT_RUNNING' | 'NO_LINKS' | 'NOT_MUTUAL_ONLINE' | 'ENGINE_FAILED' | 'INVISIBLE'; reason: string };

/**
 * Whatever owns direct links (P2P-01) receives the server-relayed signals through this: the
 * root routes every `signal.relay` and `signal.error` frame to the one attached handler.
 */
export interface SignalHandler {
  /** A relayed signal from a mutual contact; `from` is the sender's key (hex), stamped by the server. */
  handleSignal(e: { from: string; payload: string }): void;
  /** A `signal.send` of ours was not delivered (`id` is the one sendSignal() returned). */
  handleSignalError(e: { id: string | null; code: SignalErrorCode }): void;
}

export type SendSignalResult =
  | { sent: true; id: string }
  | { sent: false; reason: 'NOT_CONNECTED' | 'BAD_TARGET' | 'TOO_LARGE'; message: string };

/** The contact list as a link manager needs to see it (read-only; keys are hex). */
export interface ContactsView {
  isContact(publicKeyHex: string): boolean;
  /**
   * The contact's presence as last reported, or null for a stranger. The server reports a
   * visible status only between mutual contacts, so a visible contact is also a mutual one.
   */
  presenceOf(publicKeyHex: string): ContactPresence | null;
  /** Mutual and visible right now: a link to them can be set up through the server. */
  isReachable(publicKeyHex: string): boolean;
  /** CONT-06: the user blocked this key: refuse its link offers and frames. */
  isBlocked(publicKeyHex: string): boolean;
}

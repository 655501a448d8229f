import type { RefusalReason } from './apply-incoming';
import type { StoredMessage } from './message-types';

/**
 * What the MessageService tells the UI (CONVENTIONS 6): one small event per change, never a
 * whole list. `peer` is the contact's public key (hex).
 */
export type MessageServiceEvents = {
  /** A message appeared in a conversation (sent from here or received). */
  messageAdded: (e: { peer: string; message: StoredMessage }) => void;
  /** A message was edited, deleted (tombstone) or its reactions changed. */
  messageUpdated: (e: { peer: string; message: StoredMessage }) => void;
  /**
   * Own messages with `seq` ≤ `upToSeq` reached a state: `sent` (left this side), `delivered`
   * (stored by the peer) or `read` (seen by the peer). One event covers many messages.
   */
  receipt: (e: { peer: string; state: 'sent' | 'delivered' | 'read'; upToSeq: number }) => void;
  /** MSG-04: the number of unread messages in a conversation changed. */
  unreadChanged: (e: { peer: string; unread: number }) => void;
  /** The contact started or stopped typing (expires by itself; never stored). */
  typing: (e: { peer: string; typing: boolean }) => void;
  /** A frame from the peer was refused and counted; the conversation is unchanged by it. */
  frameRefused: (e: { peer: string; reason: RefusalReason; type: string | null }) => void;
};

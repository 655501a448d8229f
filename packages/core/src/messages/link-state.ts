import type { MessageFrame, SequencedFrame } from '@discordopus/protocol/messages';
import type { Logger } from '../logging/logger';
import type { Clock } from '../signaling/clock';
import type { RefusalReason } from './apply-incoming';
import type { MessageServiceEvents } from './message-events';
import type { MessageStore } from './message-store';
import type { SyncPoints } from './message-types';
import type { TypingTracker } from './typing-tracker';

/**
 * What the service needs of a link to one contact: `send` returns false when the frame could
 * not be handed over (link closing, rate limit, buffer full); sending stops until the link is
 * drained (`handleLinkDrained`) or the retransmit timer fires.
 */
export interface MessageLink {
  send(frame: MessageFrame): boolean;
}

/** The delivery state of one open link (PROTOCOL.md §7). */
export interface LinkState {
  link: MessageLink;
  /** The peer's resume point arrived (or we gave up waiting for it): sending may start. */
  resumed: boolean;
  /** The next own sequence number to put on the wire. */
  nextToSend: number;
  inbox: SequencedFrame[];
  flushScheduled: boolean;
  timer: unknown;
  /** The peer's ack when the timer was armed: no change by the time it fires means "resend". */
  ackAtArm: number;
  /** The receive point we last asked the peer to resume from after a gap. */
  nackedAt: number | null;
  /**
   * The own numbering epoch this link was told: set only once the resume naming it was handed
   * over; no own change goes before (a conversation made later is announced first).
   */
  announcedEpoch: string | null;
  /** The peer's new epoch was adopted on this link: a second one is refused (`epoch-flip`). */
  epochAdopted: boolean;
}

/** A fresh link: nothing resumed yet, sending starts after what the peer acknowledged. */
export function newLinkState(link: MessageLink, points: SyncPoints): LinkState {
  return {
    link,
    resumed: false,
    nextToSend: points.peerAcked + 1,
    inbox: [],
    flushScheduled: false,
    timer: null,
    ackAtArm: points.peerAcked,
    nackedAt: null,
    announcedEpoch: null,
    epochAdopted: false,
  };
}

/**
 * What the delivery modules (send pump, incoming bursts, resume handling) share with the
 * MessageService that owns them: its store, clock, links and events. One per service.
 */
export interface DeliveryContext {
  readonly store: MessageStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly links: Map<string, LinkState>;
  readonly typing: TypingTracker;
  readonly sendReadReceipts: () => boolean;
  readonly retransmitMs: number;
  readonly sendBatch: number;
  readonly maxInFlight: number;
  emit<E extends keyof MessageServiceEvents>(event: E, payload: Parameters<MessageServiceEvents[E]>[0]): void;
  refuse(key: string, reason: RefusalReason, type: string | null): void;
}

/** The error code only (never a message that could carry user text) for the logs. */
export function errorCode(err: unknown): string {
  return (err as { code?: string } | null)?.code ?? 'unknown';
}

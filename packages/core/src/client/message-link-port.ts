import type { MessageFrame } from '@discordopus/protocol/messages';
import type { ApplicationFrame, LinkStateEvent } from '../links/link-events';
import type { LinkManager } from '../links/link-manager';

/** Why a link for messages was not opened (the link manager's codes; 'INVISIBLE' for an 'auto' open while invisible). */
export type MessageLinkOpenResult = { ok: true } | { ok: false; code: string; reason: string };

/**
 * What the message wiring uses of the link manager (P2P-01, MSG-02): opening with an intent,
 * sending one application frame on the contact's current link, and three events. Built from the
 * real LinkManager by `messageLinkPort()`; each `on*` returns its unsubscriber.
 */
export interface MessageLinkPort {
  /** 'user': the user just did something; 'auto': a waiting outbox (refused while invisible). */
  open(peer: string, options: { intent: 'user' | 'auto' }): MessageLinkOpenResult;
  /** False when the frame was not handed over (no link, closing, back-pressure). */
  send(peer: string, frame: MessageFrame): boolean;
  onLinkState(listener: (e: LinkStateEvent) => void): () => void;
  onFrame(listener: (e: { peer: string; frame: ApplicationFrame }) => void): () => void;
  /** The link can take frames again after a send was refused for back-pressure. */
  onDrained(listener: (e: { peer: string; linkId: string }) => void): () => void;
  /** A link's set-up or handshake to this contact failed authentication (P2P-02). */
  onSecurityWarning(listener: (e: { peer: string }) => void): () => void;
}

/** The real link manager's surface the port is built from. */
export type MessageLinkSource = Pick<LinkManager, 'open' | 'send' | 'on'>;

/** The port over a link manager. */
export function messageLinkPort(part: MessageLinkSource): MessageLinkPort {
  return {
    open: (peer, options) => part.open(peer, options),
    // 'auto': a frame for a link that just went away never opens a new one on its own (PRES-03).
    send: (peer, frame) => part.send(peer, frame, { intent: 'auto' }),
    onLinkState: (listener) => part.on('linkState', listener),
    onFrame: (listener) => part.on('frame', listener),
    onDrained: (listener) => part.on('drained', listener),
    onSecurityWarning: (listener) => part.on('securityWarning', listener),
  };
}

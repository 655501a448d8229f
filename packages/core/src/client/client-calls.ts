import { DiscordOpusError, isCallPeerFrame } from '@discordopus/protocol';
import { parseCallFrame, type CallFrame } from '@discordopus/protocol/calls';
import type { ApplicationFrame, LinkIntent } from '../links/link-events';
import type { OpenResult } from '../links/link-manager';
import type { Logger } from '../logging/logger';

export type CallWireErrorCode = 'CALL_NOT_RUNNING' | 'CALL_NO_LINKS' | 'CALL_NOT_CONTACT' | 'CALL_NO_LINK' | 'CALL_NOT_SENT' | 'CALL_BAD_FRAME';

/** Why a call frame from the app could not go to the contact (VOICE-02). */
export class CallWireError extends DiscordOpusError<CallWireErrorCode> {
  static notRunning(): CallWireError {
    return new CallWireError('CALL_NOT_RUNNING', 'Calls work only while the profile is unlocked.');
  }
  static noLinks(): CallWireError {
    return new CallWireError('CALL_NO_LINKS', 'This core was built without direct links, so it cannot carry a call.');
  }
  static notContact(): CallWireError {
    return new CallWireError('CALL_NOT_CONTACT', 'Calls go only to contacts.');
  }
  static noLink(code: string, reason: string): CallWireError {
    return new CallWireError('CALL_NO_LINK', `No direct link to this contact (${code}): ${reason}`);
  }
  static notSent(): CallWireError {
    return new CallWireError('CALL_NOT_SENT', 'The call message could not be handed to the link (it is closed or busy).');
  }
  static badFrame(paths: string): CallWireError {
    return new CallWireError('CALL_BAD_FRAME', `The call message is not valid (${paths}).`);
  }
}

/** What the call wiring uses of the link manager: open, send with an intent, application frames in. */
export interface CallLinkSource {
  open(publicKeyHex: string, options: { intent?: LinkIntent }): OpenResult;
  send(publicKeyHex: string, frame: ApplicationFrame, options: { intent?: LinkIntent }): boolean;
  on(event: 'frame', listener: (e: { peer: string; frame: ApplicationFrame }) => void): () => void;
}

/** Incoming call frames refused by this wiring, by reason (PROTOCOL.md §9.3); the link counts undecodable ones. */
export interface CallWireRefusals {
  /** Arrived while the core was stopped (the vault is locked). */
  notRunning: number;
  /** From a key that is not (or no longer) a contact. */
  notContact: number;
  /** Broke the call schema on a second look (the link already checked it). */
  malformed: number;
}

export interface ClientCallsOptions {
  /** Is this key (hex) a contact, not blocked? */
  isContact(publicKeyHex: string): boolean;
  /** An authenticated contact's call frame, for the app window (bridge `calls.frame`). */
  emit(e: { peer: string; frame: CallFrame }): void;
  logger: Logger;
}

/**
 * The root's wiring of call frames (VOICE-01..04, issue #14):
 *
 *   app (bridge `calls.send`) ──► send(peer, frame) ──► the contact's link (an invite opens it, intent 'user')
 *   the contact's authenticated link ── call.* frame ──► emit({ peer, frame }) ──► bridge `calls.frame`
 *
 * The core keeps no call state: the call itself (RTCPeerConnection, media) lives in the app
 * window; the core is its authenticated pipe, so the signaling server never sees a call.
 */
export class ClientCalls {
  readonly #o: ClientCallsOptions;
  #links: CallLinkSource | null = null;
  #running = false;
  readonly #refused: CallWireRefusals = { notRunning: 0, notContact: 0, malformed: 0 };

  constructor(options: ClientCallsOptions) {
    this.#o = options;
  }

  /** The links this core has; their call frames come here from now on. */
  attachLinks(links: CallLinkSource): void {
    this.#links = links;
    links.on('frame', ({ peer, frame }) => {
      if (isCallPeerFrame(frame)) this.#receive(peer, frame);
    });
  }

  start(): void {
    this.#running = true;
  }

  stop(): void {
    this.#running = false;
  }

  refusals(): CallWireRefusals {
    return { ...this.#refused };
  }

  /**
   * Send one call frame to a contact. An invite opens the link (intent 'user', refused when the
   * contact is not online); any other frame goes only on a link that is up or being set up.
   * Throws CallWireError when the frame was not handed over.
   */
  send(peer: string, input: unknown): void {
    if (this.#links === null) throw CallWireError.noLinks();
    if (!this.#running) throw CallWireError.notRunning();
    const parsed = parseCallFrame(input);
    if (!parsed.ok) throw CallWireError.badFrame(parsed.issues.map((i) => i.path || parsed.problem).join(', '));
    const key = peer.toLowerCase();
    if (!this.#o.isContact(key)) throw CallWireError.notContact();
    const intent: LinkIntent = parsed.frame.type === 'call.invite' ? 'user' : 'auto';
    const opened = this.#links.open(key, { intent });
    if (!opened.ok) throw CallWireError.noLink(opened.code, opened.reason);
    if (!this.#links.send(key, parsed.frame, { intent })) throw CallWireError.notSent();
  }

  #receive(peer: string, frame: CallFrame): void {
    if (!this.#running) return this.#refuse('notRunning', frame.type);
    if (!this.#o.isContact(peer)) return this.#refuse('notContact', frame.type);
    // The link validated it already; a second look costs little and keeps this part honest on its own.
    const parsed = parseCallFrame(frame);
    if (!parsed.ok) return this.#refuse('malformed', frame.type);
    this.#o.emit({ peer, frame: parsed.frame });
  }

  #refuse(reason: keyof CallWireRefusals, type: string): void {
    this.#refused[reason] += 1;
    this.#o.logger.debug({ reason, type }, 'call frame refused');
  }
}

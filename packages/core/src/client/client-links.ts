import type { LinkCloseReason, OwnStatus, SignalErrorCode } from '@discordopus/protocol';
import type { ContactsStore } from '../contacts/contacts-store';
import { TypedEmitter } from '../events/typed-emitter';
import type { IceConfiguration } from '../ice/ice-config';
import type { ApplicationFrame, LinkIntent, LinkStateEvent } from '../links/link-events';
import type { LinkManager, OpenResult, UserOpenResult } from '../links/link-manager';
import type { Logger } from '../logging/logger';
import type { LinkChange, LinkSecurityWarning, SignalHandler } from './client-core-events';

/** What the root uses of a link manager (the real one: links/link-manager.ts). */
export type LinkPart = Pick<
  LinkManager,
  | 'open'
  | 'send'
  | 'close'
  | 'closeAll'
  | 'list'
  | 'broadcastProfileCard'
  | 'setIdleTimeout'
  | 'handleSignal'
  | 'handleSignalFailed'
  | 'handleContactOnline'
  | 'handleContactOffline'
  | 'handleContactRemoved'
  | 'handleOwnStatus'
  | 'on'
>;

/** What the root hands a link manager when it builds one (createClientCore's factory). */
export interface LinkPorts {
  /** Relay one sealed payload to a contact; the root keeps the request id to map errors back. */
  sendSignal(toHex: string, payload: string): void;
  /** A mutual contact who is online now (the server reports presence only between mutual contacts). */
  isMutualOnline(publicKeyHex: string): boolean;
  /** A contact, whatever its presence (an invisible contact may open a link on purpose, PRES-03). */
  isContact(publicKeyHex: string): boolean;
  /** The root's ICE configuration now (server TURN credentials, the user's servers, relay-only). */
  iceConfiguration(): IceConfiguration;
}

export interface ClientLinksOptions {
  /** Builds the link manager with the ports this wiring offers. */
  createPart: (ports: LinkPorts) => LinkPart;
  contacts: ContactsStore;
  /** The root's ICE configuration now. */
  iceConfiguration: () => IceConfiguration;
  /** The root's `sendSignal` (signal.send with a fresh request id). */
  sendSignal(toHex: string, payload: string): { sent: true; id: string } | { sent: false };
  /**
   * The user's own status, followed so that an invisible user's links reveal nothing (PRES-03).
   * Without it, links behave as if the user were always visible.
   */
  presence?: { readonly status: OwnStatus; on(event: 'statusChanged', listener: (e: { status: OwnStatus }) => void): () => void };
  emit: {
    linkChanged(e: LinkChange): void;
    linkSecurityWarning(e: LinkSecurityWarning): void;
  };
  logger: Logger;
}

/** What the root's own parts (messages) hear from the links: not for the UI. */
export type ClientLinksEvents = {
  /** A link's state, as the manager reports it (with its link id). */
  linkState: (e: LinkStateEvent) => void;
  /** An application frame from an authenticated contact (all but `profile.card`, which goes to the contacts store). */
  frame: (e: { peer: string; frame: Exclude<ApplicationFrame, { type: 'profile.card' }> }) => void;
  /** A send refused for back-pressure may be retried: the link's channel drained. */
  drained: (e: { peer: string; linkId: string }) => void;
};

/** Request ids of set-up messages in flight, to name the contact a `signal.error` is about. */
const MAX_PENDING_SIGNALS = 256;
const VISIBLE = new Set(['online', 'away', 'busy']);

/**
 * The root's wiring of the link manager (P2P-01..05): relayed signals in, sealed signals out
 * with their request ids remembered, contacts' presence and removal in, profile cards into the
 * contacts store, and the manager's events out as the root's `linkChanged` /
 * `linkSecurityWarning` — each fact once.
 */
export class ClientLinks extends TypedEmitter<ClientLinksEvents> implements SignalHandler {
  readonly #o: ClientLinksOptions;
  readonly #part: LinkPart;
  readonly #pending = new Map<string, string>();
  /** The last `linkChanged` per contact, so a heartbeat with the same figures says nothing. */
  readonly #last = new Map<string, { linkId: string; change: LinkChange }>();
  #listening: (() => void) | null = null;
  #ownStatusOff: (() => void) | null = null;

  constructor(options: ClientLinksOptions) {
    super((err, event) => options.logger.error({ err, event }, 'client links listener failed'));
    this.#o = options;
    const { contacts } = options;
    const part = options.createPart({
      sendSignal: (to, payload) => this.#send(to, payload),
      isMutualOnline: (key) => VISIBLE.has(contacts.presenceOf(key) ?? 'unknown'),
      isContact: (key) => contacts.presenceOf(key) !== null,
      iceConfiguration: options.iceConfiguration,
    });
    this.#part = part;
    part.on('linkState', (e) => {
      this.#changed(e.linkId, { publicKey: e.peer, state: e.state, reason: e.reason, path: e.path, rttMs: e.rttMs });
      this.emit('linkState', e);
    });
    part.on('drained', (e) => this.emit('drained', e));
    part.on('linkStats', (e) => {
      const last = this.#last.get(e.peer);
      if (last?.linkId === e.linkId && last.change.state === 'open') this.#changed(e.linkId, { ...last.change, path: e.path, rttMs: e.rttMs });
    });
    part.on('securityWarning', (e) => options.emit.linkSecurityWarning({ publicKey: e.peer, code: e.code, reason: e.reason }));
    part.on('frame', ({ peer, frame }) => {
      if (frame.type !== 'profile.card') return void this.emit('frame', { peer, frame });
      const applied = contacts.applyProfileCard(peer, frame);
      if (!applied.applied && applied.reason !== 'NOT_NEWER') options.logger.debug({ reason: applied.reason }, 'profile card not applied');
    });
  }

  /** Follow the contacts store (presence and removal) until stop(). */
  start(): void {
    if (this.#listening) return;
    const { contacts } = this.#o;
    const part = this.#part;
    this.#listening = contacts.on('changed', ({ reason, publicKey }) => {
      if (publicKey === null) return; // all unknown at once: the server is gone, links are not
      if (reason === 'removed') return part.handleContactRemoved(publicKey);
      if (reason !== 'presence') return;
      const status = contacts.presenceOf(publicKey);
      if (status !== null && VISIBLE.has(status)) part.handleContactOnline(publicKey);
      else if (status === 'offline') part.handleContactOffline(publicKey);
    });
    const { presence } = this.#o;
    if (presence) {
      part.handleOwnStatus(presence.status);
      this.#ownStatusOff = presence.on('statusChanged', (e) => part.handleOwnStatus(e.status));
    }
  }

  /** Close every link (the vault locks or the app quits) and stop following contacts. */
  stop(reason: 'locked' | 'shutdown'): void {
    this.#listening?.();
    this.#listening = null;
    this.#ownStatusOff?.();
    this.#ownStatusOff = null;
    this.#part.closeAll(reason);
    this.#pending.clear();
  }

  /** Open (or keep) a link; `intent` 'auto' (the app's own work) is refused with INVISIBLE while invisible. */
  open(publicKeyHex: string, options?: { intent?: 'user' }): UserOpenResult;
  open(publicKeyHex: string, options: { intent?: LinkIntent }): OpenResult;
  open(publicKeyHex: string, options: { intent?: LinkIntent } = {}): OpenResult {
    return this.#part.open(publicKeyHex, options);
  }

  /** Send an application frame (opening the link on demand with `intent`); false if not handed over. */
  send(publicKeyHex: string, frame: ApplicationFrame, options: { intent?: LinkIntent } = {}): boolean {
    return this.#part.send(publicKeyHex, frame, options);
  }

  close(publicKeyHex: string, reason: LinkCloseReason = 'idle'): void {
    this.#part.close(publicKeyHex, reason);
  }

  list(): LinkChange[] {
    return this.#part.list().map((l) => ({ publicKey: l.peer, state: l.state, reason: null, path: l.path, rttMs: l.rttMs }));
  }

  broadcastProfileCard(): void {
    this.#part.broadcastProfileCard();
  }

  /** The user changed `links.idleCloseMs`. */
  setIdleTimeout(idleTimeoutMs: number): void {
    this.#part.setIdleTimeout(idleTimeoutMs);
  }

  /**
   * Relay-only was switched on (P2P-03): every link set up without it closes unless its path is
   * confirmed relayed — one on a direct path, one still connecting (it trickles host candidates
   * and would check its path against the old policy) and an open one whose path is unknown.
   */
  enforceRelayOnly(): void {
    for (const link of this.#part.list()) {
      if (!link.relayOnly && link.path !== 'relayed') this.#part.close(link.peer, 'relay-required');
    }
  }

  handleSignal(e: { from: string; payload: string }): void {
    this.#part.handleSignal(e);
  }

  handleSignalError(e: { id: string | null; code: SignalErrorCode }): void {
    const peer = e.id === null ? undefined : this.#pending.get(e.id);
    if (peer === undefined) return;
    this.#pending.delete(e.id as string);
    this.#o.logger.debug({ code: e.code }, 'a link set-up message was not delivered');
    this.#part.handleSignalFailed(peer);
  }

  #send(to: string, payload: string): void {
    const result = this.#o.sendSignal(to, payload);
    if (!result.sent) {
      // Not connected (or refused before sending): the set-up cannot go on. Told on a later turn,
      // since this runs inside the link manager's own send path.
      queueMicrotask(() => this.#part.handleSignalFailed(to));
      return;
    }
    this.#pending.set(result.id, to);
    if (this.#pending.size > MAX_PENDING_SIGNALS) this.#pending.delete(this.#pending.keys().next().value as string);
  }

  #changed(linkId: string, next: LinkChange): void {
    const last = this.#last.get(next.publicKey);
    // A superseded link closing late says nothing about the contact's current link.
    if (last && last.linkId !== linkId && next.state === 'closed') return;
    if (last?.linkId === linkId && sameChange(last.change, next)) return;
    if (next.state === 'closed') this.#last.delete(next.publicKey);
    else this.#last.set(next.publicKey, { linkId, change: next });
    this.#o.emit.linkChanged(next);
  }
}

function sameChange(a: LinkChange, b: LinkChange): boolean {
  return a.state === b.state && a.reason === b.reason && a.path === b.path && a.rttMs === b.rttMs;
}

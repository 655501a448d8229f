import { bytesToBase64url, type ClientMessage, hexToBytes, type OwnStatus } from '@discordopus/protocol';
import type { ContactRequestManager } from '../contact-requests';
import { TypedEmitter } from '../events/typed-emitter';
import type { IceConfiguration } from '../ice/ice-config';
import type { Logger } from '../logging/logger';
import type { FileTransferRecord } from '../files/file-store';
import type { ConversationSummary, HistoryPage, StoredMessage } from '../messages/message-types';
import type { Signer } from '../signaling/signaling-client';
import type { ConnectionStatus } from '../signaling/signaling-events';
import { ClientCoreError } from './client-core-error';
import type { ClientCoreEvents, ContactsView, LinkChange, OpenLinkResult, SendSignalResult, SignalHandler } from './client-core-events';
import { ClientFiles, type FileLinkSource, type OfferFileOptions } from './client-files';
import type { ClientCoreParts } from './client-core-parts';
import { ClientLinks } from './client-links';
import { ClientMessages } from './client-messages';
import { messageLinkPort } from './message-link-port';
import { routeSettingChange } from './route-setting-change';
import { SignalingConnection } from './signaling-connection';
import { ClientCalls, type CallWireRefusals } from './client-calls';

export type { ClientCoreParts, SignalingServers } from './client-core-parts';

/**
 * The composition root of the client core (issue #11): the one place that wires its parts.
 *
 *   vault: identity (signer) ──► signaling login; exposed as `signer` for links
 *          contacts store ── changed (added/removed) ──► presence.handleContactsChanged()
 *          settings store ── changed ──► ice.handleUserIceChanged() | refreshServers() (route-setting-change.ts)
 *   signalingServers() ──► createSignaling() ──► SignalingClient (one per server list; signaling-connection.ts)
 *       stateChanged / connected ──► presence.handleConnected|Disconnected, ice.handleServerIce
 *       message: presence.* ──► presence.handle*()   ice.servers ──► ice.handleServerIce()
 *                signal.relay / signal.error ──► the attached SignalHandler (links, P2P-01)
 *   presence ── outgoing ──► signaling.send()      ice ── refreshDue ──► signaling.send(ice.request)
 *   sendSignal(to, payload) ──► signaling.send(signal.send)
 *   links (client-links.ts, P2P-01..05):
 *       attachSignalHandler ──► links.handleSignal / signal.error id ──► handleSignalFailed(contact)
 *       links' sealed set-up ──► sendSignal()      ice configuration (relay-only) ──► new links
 *       contacts store ── changed: presence ──► handleContactOnline|Offline, removed ──► handleContactRemoved
 *       links ── frame profile.card ──► contacts.applyProfileCard (names arrive as the store's `changed`)
 *       links ── linkState / linkStats / securityWarning ──► linkChanged / linkSecurityWarning
 *       setDisplayName() ──► vault, then the new signed card on every open link
 *       stop() ──► closeAll (the engine itself is released by the process: shutdownLinkEngine)
 *
 * Parts never hold each other or the root: they get input through handle*() calls and
 * announce output as typed events, which the root routes. Later messages and files join the
 * same way. The root re-emits nothing the stores already announce.
 */
export class ClientCore extends TypedEmitter<ClientCoreEvents> {
  readonly #parts: ClientCoreParts;
  readonly #log: Logger;
  readonly #signaling: SignalingConnection;
  #signalHandler: SignalHandler | null = null;
  readonly #links: ClientLinks | null;
  readonly #messages: ClientMessages;
  readonly #files: ClientFiles | null;
  readonly #calls: ClientCalls;
  readonly #requests: ContactRequestManager | null;
  #signalCounter = 0;
  #running = false;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(parts: ClientCoreParts) {
    super((err, event) => parts.logger.error({ err, event }, 'client core listener failed'));
    this.#parts = parts;
    this.#log = parts.logger;
    const { presence, ice } = parts;
    presence.on('presenceChanged', (e) => this.emit('presenceChanged', { publicKey: e.publicKeyHex, status: e.status, lastSeenAt: e.lastSeenAt }));
    presence.on('statusChanged', (e) => this.emit('statusChanged', { status: e.status }));
    presence.on('presenceReset', (e) => this.emit('presenceReset', e));
    presence.on('outgoing', ({ message }) => void this.#send(message));
    ice.on('iceChanged', (e) => {
      if (e.iceTransportPolicy === 'relay') this.#links?.enforceRelayOnly();
      this.emit('iceChanged', e);
    });
    ice.on('refreshDue', () => void this.#send({ type: 'ice.request' }));
    this.#messages = new ClientMessages({
      store: parts.messages,
      contacts: parts.contacts,
      settings: parts.settings,
      clock: parts.clock,
      ...(parts.messageTunables ? { tunables: parts.messageTunables } : {}),
      emit: (event, payload) => this.emit(event, payload),
      logger: this.#log,
    });
    this.#files = parts.files
      ? new ClientFiles({ ...parts.files, contacts: parts.contacts, settings: parts.settings, emit: (event, payload) => this.emit(event, payload), logger: this.#log })
      : null;
    // VOICE-02: call frames between the app window and the contact's link (client-calls.ts).
    this.#calls = new ClientCalls({
      isContact: (key) => parts.contacts.presenceOf(key) !== null && !(this.#requests?.isBlocked(key) ?? false),
      emit: (e) => this.emit('callFrame', e),
      logger: this.#log,
    });
    const createLinks = parts.links;
    this.#links =
      createLinks === null
        ? null
        : new ClientLinks({
            createPart: (ports) => {
              const part = createLinks(ports);
              this.#messages.attachLinks(messageLinkPort(part));
              if ('openTransport' in part) this.#files?.attachLinks(part as FileLinkSource);
              this.#calls.attachLinks(part);
              return part;
            },
            contacts: parts.contacts,
            iceConfiguration: () => parts.ice.configuration,
            sendSignal: (to, payload) => this.sendSignal(to, payload),
            presence: parts.presence,
            emit: {
              linkChanged: (e) => {
                if (e.state === 'open') parts.contacts.markAddedBack(e.publicKey, 'link'); // CONT-06: only mutual contacts get a link
                this.emit('linkChanged', e);
              },
              linkSecurityWarning: (e) => this.emit('linkSecurityWarning', e),
            },
            logger: this.#log,
          });
    if (this.#links) this.attachSignalHandler(this.#links);
    // CONT-06: sealed requests go out as contact.request.send; false when not connected.
    const sendRequest = (to: string, payload: string) => this.#send({ type: 'contact.request.send', id: `req-${++this.#signalCounter}`, to: bytesToBase64url(hexToBytes(to)), payload });
    this.#requests = parts.requests?.({ send: sendRequest, ownStatus: () => presence.status }) ?? null;
    this.#signaling = new SignalingConnection({
      parts,
      signalHandler: () => this.#signalHandler,
      requests: this.#requests,
      connectionChanged: (status) => this.emit('connectionChanged', status),
      logger: this.#log,
    });
  }

  /** Contact requests and blocking (CONT-06), or null for a core built without them. */
  get requests(): ContactRequestManager | null {
    return this.#requests;
  }

  /** The identity's signer (for the link handshake, P2P-02). */
  get signer(): Signer {
    return this.#parts.signer;
  }

  /** The contact list as a link manager sees it. */
  get contacts(): ContactsView {
    const store = this.#parts.contacts;
    return {
      isContact: (key) => store.presenceOf(key) !== null,
      presenceOf: (key) => store.presenceOf(key),
      isReachable: (key) => {
        const status = store.presenceOf(key);
        return status === 'online' || status === 'away' || status === 'busy';
      },
      isBlocked: (key) => this.#requests?.isBlocked(key) ?? false,
    };
  }

  get connection(): ConnectionStatus {
    return this.#signaling.status;
  }

  get status(): OwnStatus {
    return this.#parts.presence.status;
  }

  get iceConfiguration(): IceConfiguration {
    return this.#parts.ice.configuration;
  }

  /** Connect and keep connected until stop(). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { contacts, settings, presence } = this.#parts;
    this.#unsubscribe.push(
      contacts.on('changed', (e) => {
        if (e.reason === 'added' || e.reason === 'removed') presence.handleContactsChanged();
      }),
      settings.on('changed', (e) =>
        routeSettingChange(e, {
          refreshServers: () => this.refreshServers(),
          userIceChanged: () => this.#parts.ice.handleUserIceChanged(),
          setLinkIdleTimeout: (ms) => this.#links?.setIdleTimeout(ms),
        }),
      ),
    );
    this.#links?.start();
    this.#messages.start();
    this.#files?.start();
    this.#calls.start();
    this.#requests?.start();
    this.#signaling.connect();
  }

  /**
   * Disconnect and close every direct link (`locked` when the vault locks, `shutdown` when the
   * app quits). The link engine itself is process-wide: the process releases it at exit with
   * shutdownLinkEngine().
   */
  stop(reason: 'locked' | 'shutdown' = 'shutdown'): void {
    if (!this.#running) return;
    this.#running = false;
    this.#calls.stop();
    this.#messages.stop(); // first: what arrived is stored, no timer or write outlives the vault
    this.#files?.stop();
    this.#links?.stop(reason);
    this.#requests?.stop();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#parts.ice.stop();
    this.#signaling.drop(); // detached first, so its own "disconnected" is not forwarded twice
    this.#parts.presence.handleDisconnected('STOPPED');
    this.#signaling.setStatus({ state: 'disconnected', reason: null, detail: null, nextRetryAt: null, server: null });
  }

  /** PRES-01: set, persist and announce the user's status. */
  setStatus(status: OwnStatus): void {
    this.#parts.presence.setStatus(status);
  }

  /**
   * P2P-01: open (or keep) the direct link to a mutual contact who is online, for an opened
   * conversation, something to send or a call. Progress arrives as `linkChanged`.
   */
  openLink(publicKeyHex: string, options: { intent?: 'user' | 'auto' } = {}): OpenLinkResult {
    if (this.#links === null) return { ok: false, code: 'NO_LINKS', reason: 'This core was built without direct links.' };
    if (!this.#running) return { ok: false, code: 'NOT_RUNNING', reason: 'The core is not running.' };
    // The user asked (the app does so only once a security warning was dismissed): the outbox may retry again.
    if ((options.intent ?? 'user') === 'user') this.#messages.userOpenedLink(publicKeyHex.toLowerCase());
    return this.#links.open(publicKeyHex, options);
  }

  /**
   * P2P-02: the user read and dismissed a contact's security warning: the outbox may open links
   * to that contact again by itself (it held them since the warning).
   */
  acknowledgeSecurityWarning(publicKeyHex: string): void {
    this.#messages.userOpenedLink(publicKeyHex.toLowerCase());
  }

  /** Close the link to a contact (the conversation closed); it is not reopened until asked. */
  closeLink(publicKeyHex: string): void {
    this.#links?.close(publicKeyHex, 'idle');
  }

  /** Every link that is connecting or open, in the shape of `linkChanged`. */
  links(): LinkChange[] {
    return this.#links?.list() ?? [];
  }

  /**
   * P2P-05: store the user's own display name in the vault and send the new signed card on every
   * open link at once. Throws IdentityError for a name that is not allowed. Returns it as stored.
   */
  setDisplayName(name: string): string {
    const stored = this.#parts.setDisplayName(name);
    this.#links?.broadcastProfileCard();
    return stored;
  }

  // ---- files (FILE-01..03); user errors throw FileTransferError (BAD_OFFER, TOO_LARGE, …) ----

  /** Hash the file, store the offer and send it (now if a link is open, else when one opens). */
  offerFile(peer: string, path: string, options: OfferFileOptions = {}): Promise<FileTransferRecord> {
    return this.#needFiles().offer(peer, path, options);
  }

  /** Accept an offered file into `dir` (default: the `files.downloadsDir` setting). */
  acceptFile(id: string, dir?: string): void {
    this.#needFiles().accept(id, dir);
  }

  declineFile(id: string): void {
    this.#needFiles().decline(id);
  }

  /** Stop a transfer on either side; the other side is told. */
  cancelFile(id: string): void {
    this.#needFiles().cancel(id);
  }

  /** Transfers in the vault, newest first (`active`: not ended). */
  transfers(options: { peer?: string; active?: boolean } = {}): FileTransferRecord[] {
    return this.#files?.list(options) ?? [];
  }

  /** FILE-02: accepted, but its bytes cannot move now (no link since a drop or this run's start); it goes on by itself. */
  transferPaused(record: FileTransferRecord): boolean {
    return this.#files?.paused(record) ?? record.state === 'accepted';
  }

  #needFiles(): ClientFiles {
    if (this.#files === null) throw ClientCoreError.noFiles();
    return this.#files;
  }

  // ---- direct messages (MSG-01..05); `peer` is the contact's public key, hex. User errors throw MessageError. ----

  /** MSG-01/02: stored in the outbox, then sent on the link (opened if the contact is online). */
  sendMessage(peer: string, text: string, options: { replyTo?: string | null } = {}): StoredMessage {
    return this.#messages.send(peer, text, options);
  }

  /** The same with group commit: messages sent in one turn share one commit; settles after it (issue #12). */
  sendMessageAsync(peer: string, text: string, options: { replyTo?: string | null } = {}): Promise<StoredMessage> {
    return this.#messages.sendAsync(peer, text, options);
  }

  /** MSG-03: own messages only, for both sides. */
  editMessage(peer: string, id: string, text: string): StoredMessage {
    return this.#messages.edit(peer, id, text);
  }

  /** MSG-03: own messages only; a tombstone stays on both sides. */
  deleteMessage(peer: string, id: string): StoredMessage {
    return this.#messages.delete(peer, id);
  }

  toggleReaction(peer: string, id: string, emoji: string): StoredMessage {
    return this.#messages.toggleReaction(peer, id, emoji);
  }

  /** MSG-01/04: the contact's messages up to `seq` were seen (a read receipt, if the setting allows). */
  markRead(peer: string, seq: number): void {
    this.#messages.markRead(peer, seq);
  }

  setTyping(peer: string, typing: boolean): void {
    this.#messages.setTyping(peer, typing);
  }

  history(peer: string, options: { before?: string; after?: string; limit?: number } = {}): HistoryPage {
    return this.#messages.history(peer, options);
  }

  conversations(): ConversationSummary[] {
    return this.#messages.conversations();
  }

  /** MSG-05: every word as a word prefix, newest first; one conversation or all. */
  searchMessages(query: string, options: { peer?: string; limit?: number } = {}): StoredMessage[] {
    return this.#messages.search(query, options);
  }

  setConversationMuted(peer: string, muted: boolean): void {
    this.#messages.setMuted(peer, muted);
  }

  /** Message frames refused by reason since start (PROTOCOL.md §7.5). */
  messageRefusals(): ReturnType<ClientMessages['refusals']> {
    return this.#messages.refusals();
  }

  /**
   * VOICE-02: send one call frame (PROTOCOL.md §9) to a contact over the direct link; an invite
   * opens the link. Throws CallWireError (CALL_NO_LINK when the contact is not online, …).
   */
  sendCallFrame(peer: string, frame: unknown): void {
    this.#calls.send(peer, frame);
  }

  /** Incoming call frames refused by the core since it was built (PROTOCOL.md §9.3). */
  callRefusals(): CallWireRefusals {
    return this.#calls.refusals();
  }

  /** Skip the back-off wait (or restart after a fatal failure). */
  retryNow(): void {
    if (this.#running) this.#signaling.retryNow();
  }

  /** Read signalingServers() again; if the list changed, leave the old server for the new one. */
  refreshServers(): void {
    if (!this.#signaling.serversChanged()) return;
    this.#log.info({}, 'signaling servers changed; reconnecting');
    this.#parts.ice.handleServerChanged();
    this.#parts.presence.handleDisconnected('SERVER_CHANGED');
    this.#signaling.drop();
    if (this.#running) this.#signaling.connect();
  }

  /**
   * The incoming relay stream: every `signal.relay` and `signal.error` goes to `handler` (the
   * link manager, P2P-01). One handler at a time; returns the function that detaches it.
   */
  attachSignalHandler(handler: SignalHandler): () => void {
    if (this.#signalHandler !== null) throw ClientCoreError.signalHandlerAttached();
    this.#signalHandler = handler;
    return () => {
      if (this.#signalHandler === handler) this.#signalHandler = null;
    };
  }

  /** Relay an opaque payload to a mutual contact (`signal.send`); nothing is queued. */
  sendSignal(toPublicKeyHex: string, payload: string): SendSignalResult {
    return this.#signaling.sendSignal(toPublicKeyHex, payload, `sig-${++this.#signalCounter}`);
  }

  #send(message: ClientMessage): boolean {
    return this.#signaling.send(message);
  }
}

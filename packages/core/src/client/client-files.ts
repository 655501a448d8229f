import { bytesToBase64url, isFilePeerFrame } from '@discordopus/protocol';
import type { FileFrame, FileOffer } from '@discordopus/protocol/files';
import type { ContactsStore } from '../contacts/contacts-store';
import { defaultDownloadsDir } from '../files/download-folder';
import type { FileChannel } from '../files/file-channel';
import type { FileStore, FileTransferRecord } from '../files/file-store';
import { FileTransferError } from '../files/file-transfer-error';
import { FileTransferService, type FileTransferServiceOptions } from '../files/file-transfer-service';
import { NdcFileChannel } from '../files/ndc-file-channel';
import type { FileTunables } from '../files/transfer-tunables';
import type { LinkTransport } from '../links/engine/link-transport';
import type { LinkManager } from '../links/link-manager';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../settings/settings-store';
import type { ClientCoreEvents } from './client-core-events';

/** See `ClientFilesOptions.channelOpenTimeoutMs`. */
const CHANNEL_OPEN_TIMEOUT_MS = 5_000;

type FileEventName = 'fileOffered' | 'fileProgress' | 'fileStateChanged' | 'fileInterrupted';
type Emit = <E extends FileEventName>(event: E, payload: Parameters<ClientCoreEvents[E]>[0]) => void;

/** What the file wiring uses of the link manager (P2P-01, FILE-01). */
export type FileLinkSource = Pick<LinkManager, 'open' | 'send' | 'on' | 'openTransport'> & Partial<Pick<LinkManager, 'markUsed' | 'addInUseCheck'>>;

export interface ClientFilesOptions {
  store: FileStore;
  contacts: ContactsStore;
  settings: SettingsStore;
  emit: Emit;
  logger: Logger;
  /** The user's home folder (the default downloads folder is under it); tests give a temp dir. */
  homeDir?: string;
  tunables?: Partial<FileTunables>;
  /**
   * How long a new transfer channel may take to open on a live link (default 5 s: on loopback
   * one opens in well under 25 ms; the service asks again, `channelOpenAttempts` times in all).
   */
  channelOpenTimeoutMs?: number;
}

export interface OfferFileOptions {
  caption?: string | null;
  preview?: { mime: 'image/jpeg' | 'image/png' | 'image/webp'; bytes: Uint8Array } | null;
  name?: string;
  mime?: string;
}

/**
 * The root's wiring of file transfers (FILE-01..03, issue #13):
 *
 *   user calls (offerFile, acceptFile, …) ──► FileTransferService ──► FileStore (the vault)
 *   service events ──► fileOffered / fileProgress / fileStateChanged / fileInterrupted
 *   service progress ──► links.markUsed(peer): bytes on a transfer's channel are link activity (LRU)
 *   links.addInUseCheck ◄── service.runningWith(peer): no idle close while a transfer runs, whatever its pauses
 *   links: `frame` (file.offer/decline/cancel/complete/error) ──► handleControl
 *          `linkState` open (authenticated) ──► incoming `dopus-file:` channels to the service,
 *              resume(peer), offers not yet answered sent again (the receiver ignores repeats),
 *              the ends of lately ended transfers said again (an end told with no link open was lost)
 *          `linkState` closed ──► that link's transfer channels closed (the engine does not report it)
 *   the service's channels are extra data channels on the open link's own connection.
 *
 * Offers do not go through the message outbox: an offer made while the contact is away is kept
 * in file_transfers (`offered`) and sent when a link to them opens.
 */
export class ClientFiles {
  readonly #o: ClientFilesOptions;
  #service: FileTransferService;
  #port: FileLinkSource | null = null;
  /** Transfer channels per link id, closed with their link. */
  readonly #channels = new Map<string, Set<FileChannel>>();
  readonly #currentLink = new Map<string, string>();
  #running = false;
  #offContacts: (() => void) | null = null;

  constructor(options: ClientFilesOptions) {
    this.#o = options;
    this.#service = this.#createService();
  }

  attachLinks(port: FileLinkSource): void {
    this.#port = port;
    // A running transfer keeps its link open, however long its bytes pause (P2P-01, FILE-01).
    port.addInUseCheck?.((peer) => this.#running && this.#service.runningWith(peer));
    port.on('linkState', (e) => {
      if (e.state === 'open') {
        this.#currentLink.set(e.peer, e.linkId);
        if (this.#running) this.#linkOpened(e.peer, e.linkId);
      } else if (e.state === 'closed') {
        if (this.#currentLink.get(e.peer) === e.linkId) this.#currentLink.delete(e.peer);
        const channels = this.#channels.get(e.linkId);
        this.#channels.delete(e.linkId);
        for (const channel of channels ?? []) channel.close();
      }
    });
    port.on('frame', ({ peer, frame }) => {
      if (!this.#running || !isFilePeerFrame(frame)) return;
      const result = this.#service.handleControl(peer, frame);
      if (!result.ok) this.#o.logger.debug({ type: frame.type, problem: result.problem }, 'file frame refused');
    });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // A contact seen online while a transfer waits for them (an offer not sent yet, bytes still
    // to come): ask for a link ('auto': never while invisible); resume() follows when it opens.
    this.#offContacts = this.#o.contacts.on('changed', ({ reason, publicKey }) => {
      if (reason === 'presence' && publicKey !== null) this.#openIfWaiting(publicKey);
    });
    for (const [peer, linkId] of this.#currentLink) this.#linkOpened(peer, linkId);
  }

  #openIfWaiting(peer: string): void {
    if (!this.#running || this.#port === null || this.#port.openTransport(peer) !== null) return;
    const presence = this.#o.contacts.presenceOf(peer);
    if (presence !== 'online' && presence !== 'away' && presence !== 'busy') return;
    const waiting = this.#service.list({ peer, active: true }).some((r) => (r.direction === 'in' && r.state === 'accepted') || (r.direction === 'out' && r.state === 'offered'));
    if (waiting) this.#port.open(peer, { intent: 'auto' });
  }

  /** Let go of every channel; transfers stay where they are and resume on the next run. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#offContacts?.();
    this.#offContacts = null;
    this.#service.close();
    for (const channels of this.#channels.values()) for (const channel of channels) channel.close();
    this.#channels.clear();
    this.#service = this.#createService();
  }

  async offer(peer: string, path: string, options: OfferFileOptions = {}): Promise<FileTransferRecord> {
    return this.#service.offerFile({ peer: peer.toLowerCase(), path, ...options });
  }

  accept(id: string, dir?: string): void {
    const record = this.#service.get(id);
    this.#service.accept(id, dir);
    // The bytes need a link: ask for one (the user just acted); resume() follows when it opens.
    if (record && this.#port && this.#port.openTransport(record.peer) === null) this.#port.open(record.peer, { intent: 'user' });
  }

  decline(id: string): void {
    this.#service.decline(id);
  }

  cancel(id: string): void {
    this.#service.cancel(id);
  }

  list(options: { peer?: string; active?: boolean } = {}): FileTransferRecord[] {
    return this.#service.list(options);
  }

  /** Accepted, yet no bytes can move now (no link, or not running): it goes on by itself when a link is back. */
  paused(record: FileTransferRecord): boolean {
    return record.state === 'accepted' && !(this.#running && this.#service.isRunning(record.id));
  }

  get(id: string): FileTransferRecord | null {
    return this.#service.get(id);
  }

  #linkOpened(peer: string, linkId: string): void {
    const transport = this.#port?.openTransport(peer) ?? null;
    if (transport === null) return;
    transport.onExtraChannel?.((dc) => {
      const channel = this.#track(linkId, new NdcFileChannel(dc, (err) => this.#o.logger.error({ err }, 'file channel callback failed')));
      if (this.#running && this.#currentLink.get(peer) === linkId) this.#service.handleIncomingChannel(peer, channel);
      else channel.close();
    });
    this.#service.resume(peer);
    for (const record of this.#service.list({ peer, active: true })) {
      if (record.direction === 'out' && record.state === 'offered') this.#sendControl(peer, offerOf(record));
    }
    for (const frame of this.#service.endNotices(peer)) this.#sendControl(peer, frame);
  }

  #track(linkId: string, channel: FileChannel): FileChannel {
    let set = this.#channels.get(linkId);
    if (!set) this.#channels.set(linkId, (set = new Set()));
    set.add(channel);
    channel.onClosed(() => set.delete(channel));
    return channel;
  }

  async #openChannel(peer: string, label: string): Promise<FileChannel> {
    const linkId = this.#currentLink.get(peer);
    const transport: LinkTransport | null = this.#port?.openTransport(peer) ?? null;
    const dc = linkId === undefined ? null : (transport?.openExtraChannel?.(label) ?? null);
    if (dc === null || linkId === undefined) throw FileTransferError.notFound();
    const channel = new NdcFileChannel(dc, (err) => this.#o.logger.error({ err }, 'file channel callback failed'));
    const wrapped = this.#track(linkId, channel);
    const timeoutMs = this.#o.channelOpenTimeoutMs ?? CHANNEL_OPEN_TIMEOUT_MS;
    try {
      await channel.whenOpen(timeoutMs);
    } catch (err) {
      // No label or key in the log: how often this happens, and whether the link was still up, is what issue #13 needs.
      this.#o.logger.warn({ timeoutMs, linkStillOpen: this.#currentLink.get(peer) === linkId }, 'a transfer channel did not open');
      channel.close();
      throw err;
    }
    return wrapped;
  }

  #sendControl(peer: string, frame: FileFrame): void {
    if (frame.type === 'file.accept' || frame.type === 'file.progress' || frame.type === 'file.ack') return; // channel frames only
    // 'user' for an offer (the user just sent it), 'auto' for the rest: never reveal an invisible user.
    const intent = frame.type === 'file.offer' ? 'user' : 'auto';
    this.#port?.send(peer, frame, { intent });
  }

  #createService(): FileTransferService {
    const { settings, contacts } = this.#o;
    const home = this.#o.homeDir;
    // Getters: the service reads its settings at each use, so a change applies at once.
    const options: FileTransferServiceOptions = {
      store: this.#o.store,
      openChannel: (peer, label) => this.#openChannel(peer, label),
      sendControl: (peer, frame) => this.#sendControl(peer, frame),
      get downloadsDir() {
        return settings.get('files.downloadsDir') ?? defaultDownloadsDir(home);
      },
      get maxReceiveBytes() {
        return settings.get('files.maxReceiveBytes');
      },
      get autoAcceptVerifiedMaxBytes() {
        return settings.get('files.autoAcceptVerifiedMaxBytes');
      },
      isVerified: (peer) => contacts.get(peer)?.verified ?? false,
      ...(this.#o.tunables ? { tunables: this.#o.tunables } : {}),
    };
    const service = new FileTransferService(options);
    const { emit } = this.#o;
    service.on('offerReceived', (e) => emit('fileOffered', { transfer: e.transfer, autoAccepted: e.autoAccepted }));
    // A transfer starting and bytes flowing on its channel keep its link from the idle close (P2P-01, FILE-01).
    const used = (id: string): void => {
      const peer = service.get(id)?.peer;
      if (peer !== undefined) this.#port?.markUsed?.(peer);
    };
    service.on('transferStarted', (e) => used(e.id));
    service.on('progress', (e) => {
      used(e.id);
      emit('fileProgress', e);
    });
    service.on('stateChanged', (e) => emit('fileStateChanged', e));
    service.on('interrupted', (e) => emit('fileInterrupted', e));
    return service;
  }
}

/** The offer frame of an outgoing record (sent again when the link opens). */
function offerOf(r: FileTransferRecord): FileOffer {
  return {
    type: 'file.offer',
    id: r.id,
    name: r.name,
    size: r.size,
    mime: r.mime,
    sha256: r.sha256,
    caption: r.caption,
    preview: r.preview ? { mime: r.preview.mime, data: bytesToBase64url(r.preview.bytes) } : null,
    sentAt: r.sentAt,
  };
}

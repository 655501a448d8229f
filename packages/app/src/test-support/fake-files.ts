import { DiscordOpusError, bytesToBase64url } from '@discordopus/protocol';
import { numberedFileName, safeFileName } from '@discordopus/protocol/files';
import {
  FILE_BRIDGE_LIMITS,
  type BridgeHandlers,
  type BridgeParams,
  type FileFailure,
  type FileTransferState,
  type FileTransferView,
  type Settings,
  type fileCalls,
  type BridgeEmit,
} from '@discordopus/protocol/bridge';
import type { FakeMessageNetwork } from './fake-messages';

type FileMethod = keyof typeof fileCalls;
type Actor = 'local' | 'peer' | null;

/** What the window uploaded (component tests read it: the bytes, the caption, the preview). */
export interface FakeUpload {
  uploadId: string;
  publicKey: string;
  name: string;
  size: number;
  mime: string;
  caption: string | null;
  preview: FileTransferView['preview'];
  bytes: Uint8Array;
  state: 'open' | 'ended' | 'aborted';
  /** The transfer the upload became (after `files.endUpload`). */
  transferId: string | null;
}

interface Transfer {
  view: FileTransferView;
  /** Sender: the uploaded bytes. Receiver: what arrived (after completion). */
  bytes: Uint8Array | null;
}

export interface FakeFilesOptions {
  ownKey: () => string;
  now: () => number;
  emit: BridgeEmit;
  isContact: (publicKey: string) => boolean;
  isVerified: (publicKey: string) => boolean;
  settings: () => Settings;
  /** Throws as the real core does while locked or closed. */
  guard: (method: string) => void;
}

const ENDED: readonly FileTransferState[] = ['complete', 'declined', 'cancelled', 'failed'];
const networks = new WeakMap<FakeMessageNetwork, Map<string, FakeFiles>>();

function randomId(): string {
  return bytesToBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

const fail = (code: string, message: string) => new DiscordOpusError(code, message);
const notFound = () => fail('TRANSFER_NOT_FOUND', 'There is no such file transfer.');
const badState = (state: string, wanted: string) => fail('BAD_STATE', `This transfer is ${state}; it can only be ${wanted}.`);

/** The default settings of file transfer, as the real core reports them. */
export const FAKE_FILE_SETTINGS = { downloadsDir: '/home/user/Downloads/DiscordOpus', maxReceiveBytes: 4 * 1024 ** 3, autoAcceptVerifiedMaxBytes: 0 } as const;

/**
 * The FakeCore's file transfers (FILE-01..03): uploads from the window, offers, accept/decline/
 * cancel, lists and "Open folder" with the real core's rules and events (bridge-contract-files.ts
 * runs on both). Fake cores on one FakeMessageNetwork send each other files: an accepted file
 * arrives at once. Test hooks (`receiveOffer`, `progress`, `interrupted`, `setState`) play what a contact's core
 * would do; `uploads`, `accepted`, `declined`, `cancelled` and `openedFolders` record the window's calls.
 */
export class FakeFiles {
  readonly #o: FakeFilesOptions;
  #network: Map<string, FakeFiles> | null = null;
  readonly #transfers = new Map<string, Transfer>();
  readonly #open = new Map<string, FakeUpload>();
  readonly #names = new Set<string>();
  #dropNext = false;
  readonly uploads: FakeUpload[] = [];
  readonly accepted: string[] = [];
  readonly declined: string[] = [];
  readonly cancelled: string[] = [];
  readonly openedFolders: string[] = [];
  /** Downloads folders `settings.set` refuses as not writable (besides anything under /dev/null/ and /proc/). */
  readonly unwritableDirs = new Set<string>();

  constructor(options: FakeFilesOptions) {
    this.#o = options;
  }

  useNetwork(network: FakeMessageNetwork): void {
    let members = networks.get(network);
    if (members === undefined) networks.set(network, (members = new Map()));
    this.#network = members;
  }

  online(): void {
    this.#network?.set(this.#o.ownKey(), this);
    // Offers waiting for this core go out now, as the real core sends them when a link opens.
    for (const member of this.#network?.values() ?? []) if (member !== this) member.#flushTo(this.#o.ownKey());
    this.#flushAll();
  }

  offline(): void {
    if (this.#network?.get(this.#o.ownKey()) === this) this.#network.delete(this.#o.ownKey());
  }

  /** The same transfers as `other` (a restart: the vault keeps them; uploads in progress are gone). */
  restoreFrom(other: FakeFiles): void {
    for (const [id, t] of other.#transfers) this.#transfers.set(id, { view: { ...t.view }, bytes: t.bytes });
    for (const name of other.#names) this.#names.add(name);
  }

  // ---- what a contact's core would do ----

  /** A contact offers a file (emits `files.offered`). */
  receiveOffer(offer: { from: string; name: string; size: number; mime?: string; caption?: string | null; preview?: FileTransferView['preview']; id?: string; sentAt?: number }): FileTransferView {
    return this.#offered(offer.from, {
      id: offer.id ?? randomId(),
      name: offer.name,
      size: offer.size,
      mime: offer.mime ?? 'application/octet-stream',
      caption: offer.caption ?? null,
      preview: offer.preview ?? null,
      sentAt: offer.sentAt ?? this.#o.now(),
    }, null);
  }

  /** Bytes of a transfer arrived or were confirmed (emits `files.progress`). */
  progress(id: string, bytes: number, options: { bytesPerSecond?: number; secondsLeft?: number | null } = {}): void {
    const t = this.#need(id);
    t.view = { ...t.view, bytesDone: bytes, paused: false };
    this.#o.emit('files.progress', { publicKey: t.view.peer, id, direction: t.view.direction, bytes, size: t.view.size, bytesPerSecond: options.bytesPerSecond ?? 0, secondsLeft: options.secondsLeft ?? null });
  }

  /** FILE-02: the link under a running transfer dropped (emits `files.interrupted`); it continues from `bytes` (default: what is done). */
  interrupted(id: string, bytes?: number): void {
    const t = this.#need(id);
    const at = bytes ?? t.view.bytesDone;
    t.view = { ...t.view, bytesDone: at, paused: t.view.state === 'accepted' };
    this.#o.emit('files.interrupted', { publicKey: t.view.peer, id, direction: t.view.direction, bytes: at });
  }

  /** FILE-02 (contract): the link under the next file this core sends drops half-way, then comes back by itself. */
  dropLinkDuringNextTransfer(): void {
    this.#dropNext = true;
  }

  /** A transfer moves (emits `files.stateChanged`); a complete incoming one gets a safe, unique final name. */
  setState(id: string, state: FileTransferState, options: { by?: Actor; failure?: FileFailure | null; finalName?: string | null } = {}): FileTransferView {
    const t = this.#need(id);
    const complete = state === 'complete';
    const finalName = complete && t.view.direction === 'in' ? (options.finalName ?? this.#claimName(t.view.name)) : null;
    // A view names who ended it (declined, cancelled, failed); the event says who acted, as the real core's does.
    const by = ENDED.includes(state) && !complete ? (options.by ?? null) : null;
    t.view = { ...t.view, state, by, failure: options.failure ?? null, finalName, bytesDone: complete ? t.view.size : t.view.bytesDone, paused: false };
    const { peer, direction } = t.view;
    this.#o.emit('files.stateChanged', { publicKey: peer, id, direction, state, by: options.by ?? null, failure: t.view.failure, finalName });
    return { ...t.view };
  }

  /** A transfer as this core holds it (for assertions). */
  get(id: string): FileTransferView | null {
    const t = this.#transfers.get(id);
    return t === undefined ? null : { ...t.view };
  }

  /** The bytes a complete incoming transfer saved (for assertions). */
  receivedBytes(id: string): Uint8Array | null {
    const t = this.#transfers.get(id);
    return t?.view.direction === 'in' && t.view.state === 'complete' ? t.bytes : null;
  }

  /** `settings.set`'s file part: checked first (throws), then applied to `next`. */
  applySettings(change: BridgeParams<'settings.set'>, next: Settings): Settings {
    const dir = change.downloadsDir;
    if (typeof dir === 'string' && (this.unwritableDirs.has(dir) || /^\/(dev\/null|proc)\//.test(dir))) {
      throw fail('DOWNLOADS_NOT_WRITABLE', 'That folder cannot be created or written to; choose another downloads folder.');
    }
    const now = this.#o.settings();
    return {
      ...next,
      downloadsDir: dir === undefined ? (now.downloadsDir ?? FAKE_FILE_SETTINGS.downloadsDir) : (dir ?? FAKE_FILE_SETTINGS.downloadsDir),
      maxReceiveBytes: change.maxReceiveBytes ?? now.maxReceiveBytes ?? FAKE_FILE_SETTINGS.maxReceiveBytes,
      autoAcceptVerifiedMaxBytes: change.autoAcceptVerifiedMaxBytes ?? now.autoAcceptVerifiedMaxBytes ?? FAKE_FILE_SETTINGS.autoAcceptVerifiedMaxBytes,
    };
  }

  readonly handlers: Pick<BridgeHandlers, FileMethod> = {
    'files.beginUpload': async ({ publicKey, name, size, mime, caption, preview }) => {
      this.#o.guard('files.beginUpload');
      if (!this.#o.isContact(publicKey)) throw fail('CONTACT_NOT_FOUND', 'There is no such contact (was it removed?).');
      if (this.#open.size >= FILE_BRIDGE_LIMITS.maxUploads) throw fail('UPLOAD_LIMIT', `At most ${FILE_BRIDGE_LIMITS.maxUploads} files can be uploaded at once; wait for one to finish.`);
      const outgoing = [...this.#transfers.values()].filter((t) => t.view.direction === 'out' && (t.view.state === 'offered' || t.view.state === 'accepted')).length;
      if (outgoing + this.#open.size >= FILE_BRIDGE_LIMITS.maxOutgoing) {
        throw fail('UPLOAD_QUEUE_FULL', `At most ${FILE_BRIDGE_LIMITS.maxOutgoing} sent files can wait for an answer or be on their way at once; cancel one or wait for an answer.`);
      }
      const upload: FakeUpload = { uploadId: randomId(), publicKey, name, size, mime, caption, preview, bytes: new Uint8Array(0), state: 'open', transferId: null };
      this.#open.set(upload.uploadId, upload);
      this.uploads.push(upload);
      return { uploadId: upload.uploadId };
    },
    'files.uploadChunk': async ({ uploadId, offset, data }) => {
      this.#o.guard('files.uploadChunk');
      const upload = this.#upload(uploadId);
      if (offset !== upload.bytes.length) throw fail('UPLOAD_BAD_OFFSET', `This chunk starts at byte ${offset}, but ${upload.bytes.length} bytes were received so far; send the chunks in order, one at a time.`);
      if (upload.bytes.length + data.length > upload.size) throw fail('UPLOAD_TOO_LARGE', 'The upload is larger than the size it announced.');
      const bytes = new Uint8Array(upload.bytes.length + data.length);
      bytes.set(upload.bytes);
      bytes.set(data, upload.bytes.length);
      upload.bytes = bytes;
      return { received: bytes.length };
    },
    'files.endUpload': async ({ uploadId }) => {
      this.#o.guard('files.endUpload');
      const upload = this.#upload(uploadId);
      if (upload.bytes.length !== upload.size) throw fail('UPLOAD_INCOMPLETE', `Only ${upload.bytes.length} of ${upload.size} bytes were uploaded.`);
      this.#open.delete(uploadId);
      if (!this.#o.isContact(upload.publicKey)) {
        upload.state = 'aborted';
        throw fail('CONTACT_NOT_FOUND', 'There is no such contact (was it removed?).');
      }
      upload.state = 'ended';
      const view: FileTransferView = {
        id: randomId(), peer: upload.publicKey, direction: 'out', name: upload.name.normalize('NFC'), size: upload.size, mime: upload.mime, caption: upload.caption,
        preview: upload.preview, state: 'offered', by: null, bytesDone: 0, paused: false, failure: null, sentAt: this.#o.now(), finalName: null,
      };
      upload.transferId = view.id;
      this.#transfers.set(view.id, { view, bytes: upload.bytes });
      this.#flushTo(view.peer);
      return { ...this.#need(view.id).view };
    },
    'files.abortUpload': async ({ uploadId }) => {
      this.#o.guard('files.abortUpload');
      this.#upload(uploadId).state = 'aborted';
      this.#open.delete(uploadId);
      return null;
    },
    'files.accept': async ({ id }) => {
      this.#o.guard('files.accept');
      this.#accept(id);
      return { ...this.#need(id).view };
    },
    'files.decline': async ({ id }) => {
      this.#o.guard('files.decline');
      const t = this.#incoming(id);
      if (t.view.state !== 'offered') throw badState(t.view.state, 'declined while offered');
      this.declined.push(id);
      this.setState(id, 'declined', { by: 'local' });
      this.#endThere(t.view.peer, id, 'declined');
      return { ...t.view };
    },
    'files.cancel': async ({ id }) => {
      this.#o.guard('files.cancel');
      const t = this.#need(id);
      if (ENDED.includes(t.view.state)) throw badState(t.view.state, 'cancelled before it ends');
      this.cancelled.push(id);
      this.setState(id, 'cancelled', { by: 'local' });
      this.#endThere(t.view.peer, id, 'cancelled');
      return { ...t.view };
    },
    'files.list': async ({ publicKey, before, limit }) => {
      this.#o.guard('files.list');
      if (!this.#o.isContact(publicKey)) throw fail('CONTACT_NOT_FOUND', 'There is no such contact (was it removed?).');
      const all = [...this.#transfers.values()].map((t) => t.view).filter((v) => v.peer === publicKey).reverse();
      const start = before === undefined ? 0 : all.findIndex((v) => v.id === before) + 1;
      if (before !== undefined && start === 0) throw notFound();
      const size = limit ?? FILE_BRIDGE_LIMITS.listPage;
      const page = all.slice(start, start + size).map((v) => ({ ...v }));
      return { transfers: page, olderCursor: start + size < all.length ? (page.at(-1)?.id ?? null) : null };
    },
    'files.openFolder': async ({ id }) => {
      this.#o.guard('files.openFolder');
      const t = this.#need(id);
      if (t.view.direction !== 'in' || t.view.state !== 'complete') throw fail('FILE_NOT_COMPLETE', 'Only a file that was received completely can be shown in its folder.');
      this.openedFolders.push(id);
      return null;
    },
  };

  #accept(id: string): void {
    const t = this.#incoming(id);
    if (t.view.state !== 'offered') throw badState(t.view.state, 'accepted while offered');
    const limit = this.#o.settings().maxReceiveBytes ?? FAKE_FILE_SETTINGS.maxReceiveBytes;
    if (t.view.size > limit) throw fail('TOO_LARGE', `The file is ${t.view.size} bytes; the limit set for received files is ${limit} bytes.`);
    this.accepted.push(id);
    this.setState(id, 'accepted', { by: 'local' });
    const there = this.#there(t.view.peer);
    // The bytes come from the contact's core: a fake on the network sends them right after the answer.
    if (there !== null && there.#transfers.get(id)?.view.state === 'offered') queueMicrotask(() => this.#arrive(there, id));
  }

  #arrive(there: FakeFiles, id: string): void {
    const mine = this.#transfers.get(id);
    const theirs = there.#transfers.get(id);
    if (mine?.view.state !== 'accepted' || theirs?.view.state !== 'offered') return;
    there.setState(id, 'accepted', { by: 'peer' });
    const bytes = theirs.bytes ?? new Uint8Array(0);
    const finish = () => {
      if (mine.view.state !== 'accepted' || there.#transfers.get(id)?.view.state !== 'accepted') return;
      there.progress(id, bytes.length, { secondsLeft: 0 });
      this.progress(id, bytes.length, { secondsLeft: 0 });
      mine.bytes = bytes;
      this.setState(id, 'complete');
      there.setState(id, 'complete');
    };
    if (!there.#dropNext) return finish();
    // FILE-02: the link drops half-way; both sides pause there, and the rest comes once it is back (a turn later here).
    there.#dropNext = false;
    const half = Math.floor(bytes.length / 2);
    for (const side of [there, this]) side.progress(id, half);
    for (const side of [there, this]) side.interrupted(id, half);
    queueMicrotask(finish);
  }

  /** Tell the contact's core that this side ended a transfer (declined or cancelled it). */
  #endThere(peer: string, id: string, state: 'declined' | 'cancelled'): void {
    const there = this.#there(peer);
    const t = there?.get(id) ?? null;
    if (there !== null && t !== null && !ENDED.includes(t.state)) there.setState(id, state, { by: 'peer' });
  }

  #offered(from: string, offer: Pick<FileTransferView, 'id' | 'name' | 'size' | 'mime' | 'caption' | 'preview' | 'sentAt'>, bytes: Uint8Array | null): FileTransferView {
    const existing = this.#transfers.get(offer.id);
    if (existing !== undefined) return { ...existing.view };
    const view: FileTransferView = { ...offer, peer: from, direction: 'in', state: 'offered', by: null, bytesDone: 0, paused: false, failure: null, finalName: null };
    const t: Transfer = { view, bytes };
    this.#transfers.set(offer.id, t);
    const settings = this.#o.settings();
    const limit = settings.maxReceiveBytes ?? FAKE_FILE_SETTINGS.maxReceiveBytes;
    if (offer.size > limit) {
      const failure = { code: 'TOO_LARGE', message: `The file is ${offer.size} bytes; the limit set for received files is ${limit} bytes.` };
      t.view = { ...view, state: 'failed', by: 'local', failure };
      this.#o.emit('files.offered', { transfer: { ...t.view }, autoAccepted: false });
      const sender = this.#there(from);
      if (sender !== null && sender.#transfers.has(offer.id)) sender.setState(offer.id, 'failed', { by: 'peer', failure });
      return { ...t.view };
    }
    const autoMax = settings.autoAcceptVerifiedMaxBytes ?? 0;
    const auto = autoMax > 0 && offer.size <= autoMax && this.#o.isVerified(from);
    this.#o.emit('files.offered', { transfer: { ...view }, autoAccepted: auto });
    if (auto) this.#accept(offer.id);
    return { ...this.#need(offer.id).view };
  }

  /** Offers not yet delivered to `peer` go to its core when it is on the network and has us as a contact. */
  #flushTo(peer: string): void {
    const there = this.#there(peer);
    if (there === null) return;
    for (const t of [...this.#transfers.values()]) {
      const v = t.view;
      if (v.peer === peer && v.direction === 'out' && v.state === 'offered' && !there.#transfers.has(v.id)) {
        there.#offered(this.#o.ownKey(), { id: v.id, name: v.name, size: v.size, mime: v.mime, caption: v.caption, preview: v.preview, sentAt: v.sentAt }, null);
      }
    }
  }

  #flushAll(): void {
    for (const peer of new Set([...this.#transfers.values()].map((t) => t.view.peer))) this.#flushTo(peer);
  }

  /** The contact's fake core, when it is on the network and has this user as a contact. */
  #there(peer: string): FakeFiles | null {
    const there = this.#network?.get(peer) ?? null;
    return there !== null && there !== this && there.#o.isContact(this.#o.ownKey()) ? there : null;
  }

  #claimName(offered: string): string {
    const safe = safeFileName(offered);
    for (let n = 1; ; n++) {
      const name = numberedFileName(safe, n);
      if (!this.#names.has(name)) {
        this.#names.add(name);
        return name;
      }
    }
  }

  #upload(uploadId: string): FakeUpload {
    const upload = this.#open.get(uploadId);
    if (upload === undefined) throw fail('UPLOAD_NOT_FOUND', 'There is no such upload (it ended, was aborted, or sat idle too long).');
    return upload;
  }

  #need(id: string): Transfer {
    const t = this.#transfers.get(id);
    if (t === undefined) throw notFound();
    return t;
  }

  #incoming(id: string): Transfer {
    const t = this.#need(id);
    if (t.view.direction !== 'in') throw notFound();
    return t;
  }
}

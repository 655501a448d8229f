import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { bytesToBase64url } from '@discordopus/protocol';
import { encodeFileFrame, FILE_LIMITS, fileChannelLabel, fileOfferSchema, parseFileFrame, transferIdOfLabel, type FileFrame, type FileOffer } from '@discordopus/protocol/files';
import { TypedEmitter } from '../events/typed-emitter';
import { assertRoomFor, partialPathOf, prepareFolder } from './download-folder';
import { endNoticesOf } from './end-notices';
import type { FileChannel } from './file-channel';
import type { FileTransferEvents } from './file-events';
import { MAX_PENDING_OFFERS_PER_CONTACT, type FileTransferServiceOptions, type OfferFileInput } from './file-service-options';
import { ENDED_STATES, type FileTransferRecord, type TransferFailure, type TransferState } from './file-store';
import { FileTransferError } from './file-transfer-error';
import { hashFile } from './hash-file';
import { IncomingRun, removePartialFile } from './incoming-run';
import { OutgoingRun } from './outgoing-run';
import { ProgressMeter } from './progress-meter';
import { DEFAULT_FILE_TUNABLES, type FileTunables } from './transfer-tunables';
import { toWireCode } from './wire-code';

export { MAX_PENDING_OFFERS_PER_CONTACT, type FileTransferServiceOptions, type OfferFileInput } from './file-service-options';

type Run = { kind: 'out'; peer: string; run: OutgoingRun; meter: ProgressMeter | null } | { kind: 'in'; peer: string; run: IncomingRun; meter: ProgressMeter };

const PEER_HEX = /^[0-9a-f]{64}$/;

/**
 * The file-transfer engine (FILE-01..03), standalone: it is handed control frames from the
 * contact's link (`handleControl`) and the transfers' own channels (`handleIncomingChannel`),
 * and sends through the injected `sendControl` and `openChannel`. The receiver always asks for
 * the bytes (accept and every resume are a `file.accept{offset}` on a new channel it opens), so
 * a restart of either side is the same case: when a link to a contact opens, call `resume(peer)`.
 */
export class FileTransferService extends TypedEmitter<FileTransferEvents> {
  readonly #o: FileTransferServiceOptions;
  readonly #tunables: FileTunables;
  readonly #now: () => number;
  readonly #randomId: () => Uint8Array;
  readonly #runs = new Map<string, Run>();
  #closed = false;
  #refusedOffers = 0;

  constructor(options: FileTransferServiceOptions) {
    super();
    this.#o = options;
    this.#tunables = { ...DEFAULT_FILE_TUNABLES, ...options.tunables };
    const { chunkBytes, lowWaterBytes, highWaterBytes, receiveWindowBytes } = this.#tunables;
    const windowOk = receiveWindowBytes >= FILE_LIMITS.minWindowBytes && receiveWindowBytes <= FILE_LIMITS.maxWindowBytes && receiveWindowBytes >= chunkBytes;
    if (chunkBytes < FILE_LIMITS.minChunkBytes || chunkBytes > FILE_LIMITS.maxChunkBytes || lowWaterBytes >= highWaterBytes || !windowOk) {
      throw new RangeError(`file tunables: chunkBytes ${FILE_LIMITS.minChunkBytes}…${FILE_LIMITS.maxChunkBytes}, lowWaterBytes below highWaterBytes, receiveWindowBytes ${FILE_LIMITS.minWindowBytes}…${FILE_LIMITS.maxWindowBytes} and at least a chunk`);
    }
    this.#now = options.now ?? Date.now;
    this.#randomId = options.randomId ?? (() => randomBytes(16));
  }

  get(id: string): FileTransferRecord | null {
    return this.#o.store.get(id);
  }

  list(options: { peer?: string; active?: boolean } = {}): FileTransferRecord[] {
    return this.#o.store.list(options);
  }

  /** A transfer with this contact (`runningWith`), or this one (`isRunning`), is running: its channel opening or its bytes flowing. */
  runningWith(peer: string): boolean {
    return [...this.#runs.values()].some((run) => run.peer === peer);
  }

  isRunning(id: string): boolean {
    return this.#runs.has(id);
  }

  // ---- sending ----

  /** Hash the file, store the offer and send it. Throws SOURCE_MISSING, SOURCE_CHANGED (changed while hashed), BAD_OFFER. */
  async offerFile(input: OfferFileInput): Promise<FileTransferRecord> {
    if (!PEER_HEX.test(input.peer)) throw FileTransferError.badPeerKey();
    let before;
    try {
      before = statSync(input.path);
    } catch {
      throw FileTransferError.sourceMissing();
    }
    if (!before.isFile()) throw FileTransferError.badOffer('only regular files can be sent.');
    const sha256 = await hashFile(input.path);
    const after = statSync(input.path);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw FileTransferError.sourceChanged();
    const candidate = {
      type: 'file.offer' as const,
      id: bytesToBase64url(this.#randomId()),
      name: (input.name ?? basename(input.path)).normalize('NFC'),
      size: after.size,
      mime: input.mime ?? 'application/octet-stream',
      sha256,
      caption: input.caption ?? null,
      preview: input.preview ? { mime: input.preview.mime, data: bytesToBase64url(input.preview.bytes) } : null,
      sentAt: this.#now(),
    };
    const parsed = fileOfferSchema.safeParse(candidate);
    if (!parsed.success) throw FileTransferError.badOffer(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const offer: FileOffer = parsed.data;
    const record = this.#o.store.addOutgoing({ id: offer.id, peer: input.peer, offer, sourcePath: input.path, sourceMtimeMs: Math.floor(after.mtimeMs) });
    this.#o.sendControl(input.peer, offer);
    return record;
  }

  // ---- receiving decisions ----

  /** Accept an offered file into `dir` (default: the downloads folder). Throws TOO_LARGE, NOT_WRITABLE, DISK_FULL, BAD_STATE. */
  accept(id: string, dir: string = this.#o.downloadsDir): void {
    const record = this.#need(id, 'in');
    if (record.state !== 'offered') throw FileTransferError.badState(record.state, 'accepted while offered');
    if (record.size > this.#o.maxReceiveBytes) throw FileTransferError.tooLarge(record.size, this.#o.maxReceiveBytes);
    prepareFolder(dir);
    assertRoomFor(dir, record.size);
    this.#o.store.accept(id, dir);
    this.#changed(record, 'accepted', 'local', null);
    void this.#startIncoming(this.#o.store.get(id)!);
  }

  decline(id: string): void {
    const record = this.#need(id, 'in');
    if (record.state !== 'offered') throw FileTransferError.badState(record.state, 'declined while offered');
    this.#o.store.end(id, 'declined');
    this.#changed(record, 'declined', 'local', null);
    this.#o.sendControl(record.peer, { type: 'file.decline', id });
  }

  /** Stop a transfer on either side; the other side is told and cleans up too. */
  cancel(id: string): void {
    const record = this.#o.store.get(id);
    if (!record) throw FileTransferError.notFound();
    if (ENDED_STATES.includes(record.state)) throw FileTransferError.badState(record.state, 'cancelled before it ends');
    this.#runs.get(id)?.run.stop('cancel');
    this.#runs.delete(id);
    if (record.direction === 'in' && record.dir) removePartialFile(partialPathOf(record.dir, id));
    this.#o.store.end(id, 'cancelled');
    this.#changed(record, 'cancelled', 'local', null);
    this.#o.sendControl(record.peer, { type: 'file.cancel', id });
  }

  /** A link to `peer` is up: ask for the rest of every accepted, unfinished incoming transfer. */
  resume(peer: string): void {
    for (const record of this.#o.store.list({ peer, active: true })) {
      if (record.direction === 'in' && record.state === 'accepted' && !this.#runs.has(record.id)) void this.#startIncoming(record);
    }
  }

  /**
   * What the contact must hear about transfers that ended lately (FILE-01): an end told while no
   * link was open was lost, so they are said again whenever a link opens. The receiver of an end
   * it already knows ignores it. A sender's own complete or a decline it received needs nothing.
   */
  endNotices(peer: string): FileFrame[] {
    const since = this.#now() - this.#tunables.endNoticeResendMs;
    return endNoticesOf(this.#o.store.listEndedSince(peer, since, this.#tunables.maxEndNotices));
  }

  // ---- from the network ----

  /** A control frame from a contact's link (untrusted: parsed here). Bad frames are dropped and reported. */
  handleControl(peer: string, input: unknown): { ok: true } | { ok: false; problem: string } {
    if (this.#closed) return { ok: false, problem: 'closed' };
    const parsed = parseFileFrame(input);
    if (!parsed.ok) return { ok: false, problem: parsed.problem };
    const frame = parsed.frame;
    if (frame.type === 'file.offer') return this.#onOffer(peer, frame);
    const record = this.#o.store.get(frame.id);
    if (!record || record.peer !== peer) return { ok: false, problem: 'unknown-transfer' };
    if (ENDED_STATES.includes(record.state)) return { ok: true };
    switch (frame.type) {
      case 'file.decline':
        if (record.direction !== 'out') return { ok: false, problem: 'wrong-direction' };
        this.#dropRun(record.id);
        this.#o.store.end(record.id, 'declined');
        this.#changed(record, 'declined', 'peer', null);
        return { ok: true };
      case 'file.cancel':
        this.#dropRun(record.id);
        if (record.direction === 'in' && record.dir) removePartialFile(partialPathOf(record.dir, record.id));
        this.#o.store.end(record.id, 'cancelled');
        this.#changed(record, 'cancelled', 'peer', null);
        return { ok: true };
      case 'file.error':
        this.#failed(record, { code: frame.code, message: frame.message }, 'peer');
        return { ok: true };
      case 'file.complete':
        if (record.direction !== 'out' || frame.sha256 !== record.sha256) return { ok: false, problem: 'bad-complete' };
        this.#completed(record, null);
        return { ok: true };
      case 'file.accept':
      case 'file.progress':
      case 'file.ack':
        return { ok: false, problem: 'channel-frame' };
      default: {
        const never: never = frame;
        return never;
      }
    }
  }

  /** A data channel the contact opened. Only `dopus-file:<id>` channels of our outgoing transfers to them are served. */
  handleIncomingChannel(peer: string, channel: FileChannel): void {
    const id = transferIdOfLabel(channel.label);
    const record = id === null ? null : this.#o.store.get(id);
    if (this.#closed || !record || record.direction !== 'out' || record.peer !== peer) {
      channel.close();
      return;
    }
    if (ENDED_STATES.includes(record.state)) {
      // The receiver missed the end (it was away): say it again on the channel, then close.
      const end: FileFrame =
        record.state === 'failed'
          ? { type: 'file.error', id: record.id, code: toWireCode(record.failure?.code ?? 'INTERNAL'), message: record.failure?.message.slice(0, 300) ?? '' }
          : { type: 'file.cancel', id: record.id };
      try {
        if (record.state !== 'complete') channel.send(encodeFileFrame(end));
      } catch {
        // closed already: the next link says it again (endNotices)
      }
      channel.close();
      return;
    }
    this.#runs.get(record.id)?.run.stop('shutdown');
    const entry: Run = { kind: 'out', peer, run: null as unknown as OutgoingRun, meter: null };
    entry.run = new OutgoingRun(record, channel, {
      started: (offset) => {
        if (this.#closed) return;
        const current = this.#o.store.get(record.id)!;
        if (ENDED_STATES.includes(current.state)) return this.#dropRun(record.id, entry);
        if (current.state === 'offered') {
          this.#o.store.markAccepted(record.id);
          this.#changed(current, 'accepted', 'peer', null);
        }
        entry.meter = new ProgressMeter({ size: record.size, now: this.#now, intervalMs: this.#tunables.progressIntervalMs, startBytes: offset });
        this.emit('transferStarted', { id: record.id, direction: 'out', offset });
      },
      sent: (bytes) => this.#progress(record, entry.meter, bytes),
      confirmed: (bytes) => {
        if (!this.#closed) this.#o.store.recordProgress(record.id, bytes);
      },
      completed: () => this.#completed(record, null),
      failed: (failure, byPeer) => this.#failed(record, failure, byPeer ? 'peer' : 'local'),
      cancelledByPeer: () => this.#cancelledByPeer(record),
      // From what the receiver confirmed in this run (the record read at the start is older).
      interrupted: () => this.#interrupted(record, this.#o.store.get(record.id)?.bytesDone ?? record.bytesDone),
    }, this.#tunables);
    this.#runs.set(record.id, entry);
  }

  /** Let go of every channel (the transfers stay where they are, to resume later). */
  close(): void {
    this.#closed = true;
    for (const { run } of this.#runs.values()) run.stop('shutdown');
    this.#runs.clear();
  }

  // ---- internals ----

  /** Offers refused since start because their contact already had too many unanswered ones. */
  get refusedOffers(): number {
    return this.#refusedOffers;
  }

  #onOffer(peer: string, offer: FileOffer): { ok: true } | { ok: false; problem: string } {
    if (!PEER_HEX.test(peer)) return { ok: false, problem: 'bad-peer' };
    const max = this.#o.maxPendingOffers ?? MAX_PENDING_OFFERS_PER_CONTACT;
    if (this.#o.store.get(offer.id) === null && this.#o.store.pendingIncomingCount(peer) >= max) {
      this.#refusedOffers += 1;
      const message = `The receiver already has ${max} files from you waiting for an answer; send more once they answer.`;
      this.#o.sendControl(peer, { type: 'file.error', id: offer.id, code: 'TOO_MANY_OFFERS', message });
      return { ok: false, problem: 'too-many-offers' };
    }
    let result;
    try {
      result = this.#o.store.addIncoming(peer, offer);
    } catch {
      return { ok: false, problem: 'id-reused' };
    }
    if (!result.isNew) return { ok: true };
    if (offer.size > this.#o.maxReceiveBytes) {
      const e = FileTransferError.tooLarge(offer.size, this.#o.maxReceiveBytes);
      this.#o.store.fail(offer.id, { code: e.code, message: e.message });
      this.#o.sendControl(peer, { type: 'file.error', id: offer.id, code: 'TOO_LARGE', message: e.message });
      this.emit('offerReceived', { transfer: this.#o.store.get(offer.id)!, autoAccepted: false });
      return { ok: true };
    }
    const auto = this.#o.autoAcceptVerifiedMaxBytes > 0 && offer.size <= this.#o.autoAcceptVerifiedMaxBytes && this.#o.isVerified(peer);
    this.emit('offerReceived', { transfer: result.record, autoAccepted: auto });
    if (auto) {
      try {
        this.accept(offer.id);
      } catch {
        // stays offered: the user decides (the reason shows when they accept)
      }
    }
    return { ok: true };
  }

  async #startIncoming(record: FileTransferRecord): Promise<void> {
    const entry = { kind: 'in' as const, peer: record.peer, run: null as unknown as IncomingRun, meter: new ProgressMeter({ size: record.size, now: this.#now, intervalMs: this.#tunables.progressIntervalMs, startBytes: record.bytesDone }) };
    const placeholder = { stop: () => {}, ended: false } as unknown as IncomingRun;
    entry.run = placeholder;
    this.#runs.set(record.id, entry);
    let channel: FileChannel | null = null;
    // A channel that does not open on a live link is asked for again (seen here: about one in
    // ten, with libdatachannel 0.24.5); after that the transfer waits for the next `resume`.
    for (let attempt = 1; channel === null; attempt++) {
      try {
        channel = await this.#o.openChannel(record.peer, fileChannelLabel(record.id));
      } catch {
        if (attempt < this.#tunables.channelOpenAttempts && !this.#closed && this.#runs.get(record.id) === entry) continue;
        if (this.#runs.get(record.id) === entry) this.#runs.delete(record.id);
        this.#interrupted(record, record.bytesDone);
        return;
      }
    }
    const current = this.#o.store.get(record.id);
    if (this.#closed || this.#runs.get(record.id) !== entry || current?.state !== 'accepted') {
      channel.close();
      return this.#dropRun(record.id, entry);
    }
    entry.run = new IncomingRun(current, channel, {
      received: (bytes) => this.#progress(current, entry.meter, bytes),
      checkpoint: (bytes) => {
        if (!this.#closed) this.#o.store.recordProgress(current.id, bytes);
      },
      completed: (finalPath) => this.#completed(current, finalPath),
      failed: (failure, byPeer) => this.#failed(current, failure, byPeer ? 'peer' : 'local'),
      cancelledByPeer: () => this.#cancelledByPeer(current),
      interrupted: (bytes) => this.#interrupted(current, bytes),
    }, this.#tunables);
    this.emit('transferStarted', { id: current.id, direction: 'in', offset: Math.min(current.bytesDone, current.size) });
    entry.run.start();
  }

  /** Stop a transfer's run and forget it (only `entry`, when given: a newer run stays). */
  #dropRun(id: string, entry?: Run): void {
    const run = this.#runs.get(id);
    if (run === undefined || (entry !== undefined && run !== entry)) return;
    run.run.stop('shutdown');
    this.#runs.delete(id);
  }

  #need(id: string, direction: 'in' | 'out'): FileTransferRecord {
    const record = this.#o.store.get(id);
    if (!record || record.direction !== direction) throw FileTransferError.notFound();
    return record;
  }

  #progress(record: FileTransferRecord, meter: ProgressMeter | null, bytes: number): void {
    if (this.#closed) return;
    const sample = meter?.update(bytes);
    if (sample) this.emit('progress', { id: record.id, direction: record.direction, ...sample });
  }

  #completed(record: FileTransferRecord, finalPath: string | null): void {
    if (this.#closed) return;
    const current = this.#o.store.get(record.id)!;
    this.#runs.delete(record.id);
    if (current.state === 'complete') return;
    this.#o.store.complete(record.id, finalPath);
    if (record.direction === 'in') this.#o.sendControl(record.peer, { type: 'file.complete', id: record.id, sha256: record.sha256 });
    this.emit('progress', { id: record.id, direction: record.direction, bytes: record.size, size: record.size, bytesPerSecond: 0, etaMs: 0 });
    this.#changed(current, 'complete', null, null, finalPath);
  }

  #failed(record: FileTransferRecord, failure: TransferFailure, by: 'local' | 'peer'): void {
    if (this.#closed) return;
    const current = this.#o.store.get(record.id)!;
    this.#dropRun(record.id);
    if (ENDED_STATES.includes(current.state)) return;
    if (record.direction === 'in' && record.dir) removePartialFile(partialPathOf(record.dir, record.id));
    this.#o.store.fail(record.id, failure);
    if (by === 'local') this.#o.sendControl(record.peer, { type: 'file.error', id: record.id, code: toWireCode(failure.code), message: failure.message.slice(0, 300) });
    this.#changed(current, 'failed', by, failure);
  }

  #cancelledByPeer(record: FileTransferRecord): void {
    if (this.#closed) return;
    const current = this.#o.store.get(record.id)!;
    this.#runs.delete(record.id);
    if (ENDED_STATES.includes(current.state)) return;
    if (record.direction === 'in' && record.dir) removePartialFile(partialPathOf(record.dir, record.id));
    this.#o.store.end(record.id, 'cancelled');
    this.#changed(current, 'cancelled', 'peer', null);
  }

  #interrupted(record: FileTransferRecord, bytes: number): void {
    if (this.#closed) return;
    this.#runs.delete(record.id);
    const current = this.#o.store.get(record.id);
    if (!current || ENDED_STATES.includes(current.state)) return;
    this.emit('interrupted', { id: record.id, direction: record.direction, bytes });
  }

  #changed(prevRecord: FileTransferRecord, state: TransferState, by: 'local' | 'peer' | null, failure: TransferFailure | null, finalPath: string | null = null): void {
    this.emit('stateChanged', { id: prevRecord.id, direction: prevRecord.direction, state, prev: prevRecord.state, by, failure, finalPath });
  }
}

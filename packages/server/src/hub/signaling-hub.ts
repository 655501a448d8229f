import { CLOSE_CODES, encodeMessage, type OwnStatus, type ServerMessage, type SignalErrorCode, type VisibleStatus } from '@discordopus/protocol';
import type { Backplane, BackplaneEnvelope, BackplaneMessage, PresenceRecord } from '../backplane/backplane';
import type { Clock } from '../clock/clock';
import { KeyBudgets } from '../limits/key-budgets';
import type { Logger } from '../logging/logger';
import type { ServerMetrics } from '../metrics/metrics';
import type { HubSession } from './hub-session';
import { type DirectoryEntry, presenceSnapshot, visibleStatus } from './presence-view';

export interface SignalingHubOptions {
  nodeId: string;
  backplane: Backplane;
  clock: Clock;
  offlineGraceMs: number;
  nodeHeartbeatMs: number;
  /** Contact-request budget of each sending key on this node (CONT-06): rate and burst. */
  contactRequestPerMinute: number;
  contactRequestBurst: number;
  logger: Logger;
  metrics: ServerMetrics;
}

type Deliverable = Extract<BackplaneMessage, { type: 'session.deliver' }>['message'];

/** Newest login wins; ties are broken by session id so every node picks the same one. */
function supersedes(next: PresenceRecord, prev: PresenceRecord): boolean {
  return next.sinceMs > prev.sinceMs || (next.sinceMs === prev.sinceMs && next.sessionId > prev.sessionId);
}

/**
 * The node's view of who is online, and the rules on top of it: one session per key, presence
 * only between mutual contacts, relay only between online mutual contacts. The directory is a
 * replica shared over the backplane; every decision is made from it locally, and every change
 * to it, local or remote, goes through `#apply`, which tells each affected local viewer exactly
 * what changed in what it may see.
 */
export class SignalingHub {
  readonly #o: SignalingHubOptions;
  readonly #dir = new Map<string, DirectoryEntry>();
  readonly #local = new Map<string, HubSession>();
  readonly #removals = new Map<string, unknown>();
  readonly #nodesHeard = new Map<string, number>();
  readonly #requestBudgets: KeyBudgets;
  #ticker: unknown = null;
  #closing = false;

  constructor(options: SignalingHubOptions) {
    this.#o = options;
    this.#requestBudgets = new KeyBudgets({
      perSecond: options.contactRequestPerMinute / 60,
      burst: options.contactRequestBurst,
      now: () => options.clock.now(),
    });
  }

  async start(): Promise<void> {
    await this.#o.backplane.start({
      onMessage: (envelope) => this.#onBackplane(envelope),
      onResync: () => this.#resync(),
    });
    this.#ticker = this.#o.clock.setInterval(() => this.#tick(), this.#o.nodeHeartbeatMs);
    this.#broadcast({ type: 'sync.request' });
  }

  /** Announce leaving and stop. Sessions are closed by the caller. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#ticker !== null) this.#o.clock.clearInterval(this.#ticker);
    for (const timer of this.#removals.values()) this.#o.clock.clearTimeout(timer);
    this.#removals.clear();
    this.#broadcast({ type: 'node.leave' });
    await this.#o.backplane.close();
  }

  get localSessionCount(): number {
    return this.#local.size;
  }

  // ---- local sessions -------------------------------------------------------------------

  /** A socket authenticated: it becomes the key's session, taking over any older one. */
  login(session: HubSession, status: OwnStatus): void {
    const record: PresenceRecord = {
      publicKey: session.publicKey,
      nodeId: this.#o.nodeId,
      sessionId: session.sessionId,
      sinceMs: this.#o.clock.now(),
      status,
      contacts: [],
    };
    const prev = this.#dir.get(session.publicKey)?.record;
    // Same millisecond as the session it replaces: bump, so the new one still wins everywhere.
    if (prev && prev.sinceMs >= record.sinceMs) record.sinceMs = prev.sinceMs + 1;
    const older = this.#local.get(session.publicKey);
    this.#local.set(session.publicKey, session);
    if (older && older !== session) older.close(CLOSE_CODES.CONNECTED_ELSEWHERE, 'connected_elsewhere');
    this.#upsert(record);
    this.#broadcast({ type: 'record.upsert', record });
  }

  /** The socket closed. Presence goes offline after the grace period unless the key returns. */
  logout(session: HubSession): void {
    if (this.#local.get(session.publicKey) !== session) return;
    this.#local.delete(session.publicKey);
    if (this.#closing) return;
    this.#scheduleRemoval(session.publicKey, session.sessionId, this.#o.offlineGraceMs, true);
  }

  setStatus(session: HubSession, status: OwnStatus): void {
    const entry = this.#ownEntry(session);
    if (!entry || entry.record.status === status) return;
    this.#commit({ ...entry.record, status });
  }

  /** Replace the contact list; the answer is a full presence snapshot. */
  setContacts(session: HubSession, contacts: readonly string[]): void {
    const entry = this.#ownEntry(session);
    if (!entry) return;
    const unique = [...new Set(contacts)].filter((k) => k !== session.publicKey);
    this.#commit({ ...entry.record, contacts: unique });
    const snapshot = presenceSnapshot(this.#dir, session.publicKey);
    session.seen.clear();
    for (const c of snapshot.contacts) session.seen.set(c.publicKey, c.status);
    session.send(snapshot);
  }

  /**
   * Relay to a mutual contact who is online (invisible included). A target that is offline and
   * one that does not list the sender get the same answer, as they look the same in presence.
   * An invisible target still receives the payload, but the sender is told TARGET_OFFLINE, as
   * presence tells it: only the invisible user's own answer, if they choose to send one, shows
   * that they are there (PRES-03).
   */
  relay(session: HubSession, to: string, payload: string): SignalErrorCode | null {
    const own = this.#ownEntry(session);
    if (!own || !own.contacts.has(to)) return 'NOT_MUTUAL';
    const target = this.#dir.get(to);
    if (!target || !target.contacts.has(session.publicKey)) return 'TARGET_OFFLINE';
    const delivered = this.#deliver(target.record, { type: 'signal.relay', from: session.publicKey, payload });
    return delivered && target.record.status !== 'invisible' ? null : 'TARGET_OFFLINE';
  }

  /**
   * Deliver a contact request if the target is online at all; the sender is never told. The
   * budget belongs to the sending key, not the socket: reconnecting does not refill it (CONT-06).
   */
  contactRequest(session: HubSession, to: string, payload: string): 'RATE_LIMITED' | null {
    if (!this.#requestBudgets.take(session.publicKey)) return 'RATE_LIMITED';
    const target = this.#dir.get(to);
    if (!target || to === session.publicKey) return null;
    this.#deliver(target.record, { type: 'contact.request', from: session.publicKey, payload });
    return null;
  }

  // ---- directory ------------------------------------------------------------------------

  #ownEntry(session: HubSession): DirectoryEntry | null {
    const entry = this.#dir.get(session.publicKey);
    return entry && entry.record.sessionId === session.sessionId && this.#local.get(session.publicKey) === session ? entry : null;
  }

  #commit(record: PresenceRecord): void {
    this.#upsert(record);
    this.#broadcast({ type: 'record.upsert', record });
  }

  #upsert(next: PresenceRecord): void {
    const prev = this.#dir.get(next.publicKey)?.record;
    if (prev && prev.sessionId !== next.sessionId) {
      if (!supersedes(next, prev)) return; // a stale login; its node will hear of ours
      const loser = this.#local.get(next.publicKey);
      if (loser && loser.sessionId === prev.sessionId) {
        this.#local.delete(next.publicKey);
        loser.close(CLOSE_CODES.CONNECTED_ELSEWHERE, 'connected_elsewhere');
      }
    }
    if (!prev || prev.sessionId !== next.sessionId) this.#cancelRemoval(next.publicKey);
    this.#dir.set(next.publicKey, { record: next, contacts: new Set(next.contacts) });
    this.#o.metrics.directoryEntries.set(this.#dir.size);
    this.#notify(next.publicKey, prev ?? null);
  }

  #remove(publicKey: string, sessionId: string): void {
    const prev = this.#dir.get(publicKey)?.record;
    if (!prev || prev.sessionId !== sessionId) return;
    this.#dir.delete(publicKey);
    this.#o.metrics.directoryEntries.set(this.#dir.size);
    this.#cancelRemoval(publicKey);
    this.#notify(publicKey, prev);
  }

  /** After `subject`'s record changed: update every local viewer whose view of it may differ. */
  #notify(subject: string, prev: PresenceRecord | null): void {
    const now = this.#dir.get(subject)?.contacts;
    // Every viewer sees the same frame for the same status: each is encoded once per change,
    // not once per viewer (bench:presence-fanout sends 20 per change, 60,000 a second).
    const frames = new Map<VisibleStatus | 'offline', { message: ServerMessage; frame: Buffer }>();
    const update = (viewer: string): void => {
      const session = this.#local.get(viewer);
      if (!session) return;
      const status = visibleStatus(this.#dir, subject, viewer);
      if (status === (session.seen.get(subject) ?? 'offline')) return;
      if (status === 'offline') session.seen.delete(subject);
      else session.seen.set(subject, status);
      let out = frames.get(status);
      if (out === undefined) {
        const message: ServerMessage = { type: 'presence.update', publicKey: subject, status };
        out = { message, frame: Buffer.from(encodeMessage(message)) };
        frames.set(status, out);
      }
      session.send(out.message, out.frame);
    };
    if (now !== undefined) for (const viewer of now) update(viewer);
    for (const viewer of prev?.contacts ?? []) if (now === undefined || !now.has(viewer)) update(viewer);
  }

  #scheduleRemoval(publicKey: string, sessionId: string, delayMs: number, announce: boolean): void {
    const run = (): void => {
      this.#removals.delete(publicKey);
      if (this.#dir.get(publicKey)?.record.sessionId !== sessionId) return;
      this.#remove(publicKey, sessionId);
      if (announce) this.#broadcast({ type: 'record.remove', publicKey, sessionId });
    };
    this.#cancelRemoval(publicKey);
    if (delayMs <= 0) return run();
    this.#removals.set(publicKey, this.#o.clock.setTimeout(run, delayMs));
  }

  #cancelRemoval(publicKey: string): void {
    if (!this.#removals.has(publicKey)) return;
    this.#o.clock.clearTimeout(this.#removals.get(publicKey));
    this.#removals.delete(publicKey);
  }

  #deliver(target: PresenceRecord, message: Deliverable): boolean {
    if (target.nodeId !== this.#o.nodeId) {
      this.#send(target.nodeId, { type: 'session.deliver', publicKey: target.publicKey, sessionId: target.sessionId, message });
      return true;
    }
    const session = this.#local.get(target.publicKey);
    if (!session || session.sessionId !== target.sessionId) return false; // in its grace period
    session.send(message);
    return true;
  }

  // ---- backplane ------------------------------------------------------------------------

  #broadcast(message: BackplaneMessage): void {
    this.#o.metrics.backplaneMessages.inc({ direction: 'out' });
    this.#o.backplane.broadcast(message);
  }

  #send(nodeId: string, message: BackplaneMessage): void {
    this.#o.metrics.backplaneMessages.inc({ direction: 'out' });
    this.#o.backplane.sendTo(nodeId, message);
  }

  #ownRecords(): PresenceRecord[] {
    return [...this.#dir.values()].filter((e) => e.record.nodeId === this.#o.nodeId).map((e) => e.record);
  }

  #onBackplane({ origin, message }: BackplaneEnvelope): void {
    if (this.#closing || origin === this.#o.nodeId) return;
    this.#o.metrics.backplaneMessages.inc({ direction: 'in' });
    if (message.type !== 'node.leave') this.#nodesHeard.set(origin, this.#o.clock.now());
    switch (message.type) {
      case 'record.upsert':
        if (message.record.nodeId === origin) this.#upsert(message.record);
        return;
      case 'record.remove':
        if (this.#dir.get(message.publicKey)?.record.nodeId === origin) this.#remove(message.publicKey, message.sessionId);
        return;
      case 'node.state': {
        const keep = new Set(message.records.filter((r) => r.nodeId === origin).map((r) => r.publicKey));
        for (const entry of [...this.#dir.values()]) {
          if (entry.record.nodeId === origin && !keep.has(entry.record.publicKey)) this.#remove(entry.record.publicKey, entry.record.sessionId);
        }
        for (const record of message.records) if (record.nodeId === origin) this.#upsert(record);
        return;
      }
      case 'node.alive':
        return;
      case 'node.leave':
        this.#nodesHeard.delete(origin);
        for (const entry of this.#dir.values()) {
          if (entry.record.nodeId === origin) this.#scheduleRemoval(entry.record.publicKey, entry.record.sessionId, this.#o.offlineGraceMs, false);
        }
        return;
      case 'sync.request':
        this.#send(origin, { type: 'node.state', records: this.#ownRecords() });
        return;
      case 'session.deliver': {
        const session = this.#local.get(message.publicKey);
        if (session && session.sessionId === message.sessionId) session.send(message.message);
        return;
      }
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  /** Back from a cut: others may have dropped us, and we missed their changes. */
  #resync(): void {
    this.#o.metrics.backplaneResyncs.inc();
    this.#o.logger.info({ records: this.#ownRecords().length }, 'backplane resync');
    this.#broadcast({ type: 'node.state', records: this.#ownRecords() });
    this.#broadcast({ type: 'sync.request' });
  }

  /** Heartbeat to the other nodes; forget nodes that fell silent. */
  #tick(): void {
    this.#broadcast({ type: 'node.alive' });
    this.#requestBudgets.sweep();
    const deadline = this.#o.clock.now() - 3 * this.#o.nodeHeartbeatMs;
    for (const [nodeId, heardAt] of this.#nodesHeard) {
      if (heardAt >= deadline) continue;
      this.#nodesHeard.delete(nodeId);
      this.#o.logger.warn({ peerNode: nodeId }, 'backplane node silent; its users go offline');
      for (const entry of [...this.#dir.values()]) {
        if (entry.record.nodeId === nodeId) this.#remove(entry.record.publicKey, entry.record.sessionId);
      }
    }
  }
}

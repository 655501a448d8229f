import { type DtlsFingerprint, sdpFingerprint } from '@discordopus/protocol';
import ndc, { type DataChannel, type PeerConnection } from 'node-datachannel';
import { TypedEmitter } from '../../events/typed-emitter';
import { toEngineIceServers } from './ice-servers';
import {
  type CreateLinkTransport,
  engineFingerprint,
  EXTRA_CHANNEL_PREFIXES,
  type LinkCandidate,
  type LinkTransport,
  type LinkTransportEvents,
  type LinkTransportOptions,
  pathOf,
  type TransportCloseReason,
} from './link-transport';

/**
 * Transports whose engine objects are not released yet. The engine's state is process-wide
 * (`cleanup()` tears down every peer connection), so the one thing tracked process-wide here is
 * what `shutdownLinkEngine` must release first.
 */
const unreleased = new Set<NdcLinkTransport>();

/**
 * Engine objects that were closed but whose close the engine has not reported yet (the channel's
 * `onClosed`, the connection's `closed` state). They stay referenced until then: node-datachannel
 * 0.33.4's wrappers hand raw `this` pointers to libdatachannel's threads and run a queued close
 * callback's cleanup (`doCleanup()`) on them, so a wrapper garbage-collected while its close is in
 * flight is freed memory the engine still writes to — the SIGSEGV / "corrupted size vs.
 * prev_size" seen in bench:links (bench/RESULTS.md). Bounded: an object whose close is never
 * reported is let go after RETIRE_LIMIT_MS.
 */
const retiring = new Set<object>();
const RETIRE_LIMIT_MS = 60_000;

/** Keep `holder` referenced until `done()` is called (or the limit passes). */
function retire(holder: object): () => void {
  retiring.add(holder);
  const timer = setTimeout(() => retiring.delete(holder), RETIRE_LIMIT_MS);
  timer.unref();
  return () => {
    clearTimeout(timer);
    retiring.delete(holder);
  };
}

/** How many closed engine objects are still waiting for the engine to report their close. */
export function retiringEngineObjects(): number {
  return retiring.size;
}

/** Extra channels held before anyone listens (before the link is authenticated); more are closed. */
const MAX_HELD_EXTRA_CHANNELS = 16;

/** The label of the one in-band data channel a link uses. */
export const LINK_CHANNEL_LABEL = 'dopus-link';

/**
 * A link transport over node-datachannel (libdatachannel). What it does about the engine's
 * pitfalls found on these machines (ARCHITECTURE: "Direct links and calls: facts checked here"):
 * - descriptions go out without candidates; candidates follow in batches (one per turn of the
 *   event loop), and the offerer holds its own until it has applied the answer — otherwise
 *   the DTLS handshake can fail ("unknown CA") or stall for a second;
 * - it never waits for ICE gathering;
 * - every callback is registered (state, gathering, signaling, channel open/close/error), so a
 *   closed connection does not keep Node alive; `failed` closes the connection at once;
 * - relay-only is not enforced by the engine: the link layer checks `selectedPath()`.
 */
export class NdcLinkTransport extends TypedEmitter<LinkTransportEvents> implements LinkTransport {
  readonly role: 'offerer' | 'answerer';
  readonly #pc: PeerConnection;
  #dc: DataChannel | null = null;
  #localSdp: string | null = null;
  /** Candidates gathered but not sent yet (batched, and held by the offerer until the answer). */
  #pending: LinkCandidate[] = [];
  #mayRelease: boolean;
  #flushScheduled = false;
  #closed = false;
  /** Closed for us, but the engine objects live until the peer closes or the grace ends. */
  #lingerTimer: ReturnType<typeof setTimeout> | null = null;
  #released = false;
  readonly #lowThreshold: number;
  /** The engine reported the connection closed / our channel closed (or there is none). */
  #pcClosed = false;
  #dcClosed = true;
  #forget: (() => void) | null = null;
  /** Extra channels (files) made or adopted on this connection; closed at release. */
  readonly #extra = new Set<DataChannel>();
  #onExtra: ((channel: DataChannel) => void) | null = null;
  #heldExtra: DataChannel[] = [];

  constructor(options: LinkTransportOptions) {
    super();
    this.role = options.role;
    // The answerer may send candidates once its answer is out; the offerer after applying the answer.
    this.#mayRelease = false;
    this.#lowThreshold = options.bufferedAmountLowThreshold ?? 0;
    unreleased.add(this);
    this.#pc = new ndc.PeerConnection(options.name, {
      iceServers: toEngineIceServers(options.ice),
      iceTransportPolicy: options.ice.iceTransportPolicy,
      ...(options.bindAddress !== undefined ? { bindAddress: options.bindAddress } : {}),
    });
    const pc = this.#pc;
    pc.onStateChange((state) => {
      if (state === 'failed') this.#fail('failed', 'The connection failed.');
      else if (state === 'closed') {
        this.#pcClosed = true;
        this.#maybeForget();
        this.#fail('closed', 'The connection closed.');
      }
    });
    pc.onIceStateChange(() => {});
    pc.onSignalingStateChange(() => {});
    pc.onGatheringStateChange(() => {});
    pc.onLocalDescription((sdp, type) => {
      if (this.#closed) return;
      if (type !== 'offer' && type !== 'answer') return;
      this.#localSdp = sdp;
      this.emit('localDescription', { sdp, type });
      if (type === 'answer') {
        this.#mayRelease = true;
        this.#scheduleFlush();
      }
    });
    pc.onLocalCandidate((candidate, mid) => {
      if (this.#closed) return;
      this.#pending.push({ candidate, mid });
      this.#scheduleFlush();
    });
    pc.onDataChannel((dc) => {
      // The answerer adopts the first channel with our label; anything else is closed.
      const label = dc.getLabel();
      if (this.role === 'answerer' && this.#dc === null && label === LINK_CHANNEL_LABEL) this.#adopt(dc);
      else if (!this.#closed && EXTRA_CHANNEL_PREFIXES.some((prefix) => label.startsWith(prefix)) && (this.#onExtra !== null || this.#heldExtra.length < MAX_HELD_EXTRA_CHANNELS)) {
        this.#extra.add(dc);
        if (this.#onExtra) this.#onExtra(dc);
        else this.#heldExtra.push(dc);
      } else {
        // Closed on a later turn (never inside an engine callback) and kept until it reports closed.
        const forget = retire(dc);
        dc.onClosed(() => setImmediate(forget));
        setImmediate(() => {
          try {
            dc.close();
          } catch {
            forget();
          }
        });
      }
    });
  }

  start(): void {
    if (this.role !== 'offerer' || this.#dc || this.#closed) return;
    this.#guard(() => this.#adopt(this.#pc.createDataChannel(LINK_CHANNEL_LABEL, {})));
  }

  applyRemoteDescription(sdp: string, type: 'offer' | 'answer'): void {
    if (this.#closed) return;
    this.#guard(() => {
      this.#pc.setRemoteDescription(sdp, type);
      if (this.role === 'offerer' && type === 'answer') {
        this.#mayRelease = true;
        this.#scheduleFlush();
      }
    });
  }

  addRemoteCandidates(candidates: readonly LinkCandidate[]): void {
    if (this.#closed) return;
    for (const c of candidates) {
      try {
        this.#pc.addRemoteCandidate(c.candidate, c.mid);
      } catch {
        // One bad candidate (or one the engine cannot use) does not end the link; the others may work.
      }
    }
  }

  send(text: string): boolean {
    const dc = this.#dc;
    if (this.#closed || !dc || !dc.isOpen()) return false;
    try {
      dc.sendMessage(text);
      return true;
    } catch {
      return false;
    }
  }

  openExtraChannel(label: string): DataChannel | null {
    if (this.#closed) return null;
    try {
      const dc = this.#pc.createDataChannel(label, {});
      this.#extra.add(dc);
      return dc;
    } catch {
      return null;
    }
  }

  onExtraChannel(listener: (channel: DataChannel) => void): void {
    this.#onExtra = listener;
    for (const dc of this.#heldExtra.splice(0)) listener(dc);
  }

  bufferedAmount(): number {
    try {
      return this.#released ? 0 : (this.#dc?.bufferedAmount() ?? 0);
    } catch {
      return 0;
    }
  }

  localFingerprint(): DtlsFingerprint | null {
    return this.#localSdp === null ? null : sdpFingerprint(this.#localSdp);
  }

  remoteFingerprint(): DtlsFingerprint | null {
    if (this.#closed) return null;
    try {
      const fp = this.#pc.remoteFingerprint();
      return fp.value ? engineFingerprint(fp.algorithm, fp.value) : null;
    } catch {
      return null;
    }
  }

  selectedPath(): { path: 'direct' | 'relayed'; localType: string; remoteType: string } | null {
    if (this.#closed) return null;
    try {
      const pair = this.#pc.getSelectedCandidatePair();
      if (!pair) return null;
      return { path: pathOf(pair.local.type, pair.remote.type), localType: pair.local.type, remoteType: pair.remote.type };
    } catch {
      return null;
    }
  }

  /**
   * The engine objects: `live`; `closing` (closed by us, waiting for the engine to report it, kept
   * referenced); `let-go` (both closes reported, no longer referenced here).
   */
  get engineState(): 'live' | 'closing' | 'let-go' {
    if (!this.#released) return 'live';
    return this.#pcClosed && this.#dcClosed ? 'let-go' : 'closing';
  }

  close(): void {
    if (this.#closed && this.#lingerTimer === null) return;
    this.#closed = true;
    // Deferred: close() may be called from inside an engine callback (a frame, a state change).
    setImmediate(() => this.#release());
  }

  closeAfterFlush(graceMs: number): void {
    if (this.#closed) return;
    this.#closed = true;
    // Closing the channel right after a send can drop the message: wait for the peer to close
    // (it does on our `link.close`), or for the grace period, whichever comes first.
    this.#lingerTimer = setTimeout(() => this.#release(), graceMs);
    this.#lingerTimer.unref();
  }

  #adopt(dc: DataChannel): void {
    this.#dc = dc;
    this.#dcClosed = false;
    dc.onOpen(() => {
      if (!this.#closed) this.emit('open', {});
    });
    dc.onClosed(() => {
      this.#dcClosed = true;
      this.#maybeForget();
      this.#fail('closed', 'The data channel closed.');
    });
    dc.onError((err) => this.#fail('engine-error', `The data channel failed: ${String(err).slice(0, 200)}`));
    dc.setBufferedAmountLowThreshold(this.#lowThreshold);
    dc.onBufferedAmountLow(() => {
      if (!this.#closed) this.emit('bufferedAmountLow', {});
    });
    dc.onMessage((msg) => {
      if (this.#closed) return;
      if (typeof msg === 'string') this.emit('message', { text: msg, binary: false, bytes: Buffer.byteLength(msg) });
      else this.emit('message', { text: '', binary: true, bytes: msg.byteLength });
    });
    // A channel that is already open (the answerer's, adopted late) is announced too.
    if (dc.isOpen()) queueMicrotask(() => !this.#closed && this.emit('open', {}));
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || !this.#mayRelease || this.#pending.length === 0) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#closed || !this.#mayRelease || this.#pending.length === 0) return;
      const candidates = this.#pending.splice(0);
      this.emit('localCandidates', { candidates });
    });
  }

  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#fail('engine-error', err instanceof Error ? err.message.slice(0, 200) : 'The engine refused the call.');
    }
  }

  #fail(reason: TransportCloseReason, detail: string): void {
    if (this.#lingerTimer !== null) {
      // The peer closed while we lingered: done.
      setImmediate(() => this.#release());
      return;
    }
    if (this.#closed) return;
    this.#closed = true;
    // Deferred: never release the engine objects from inside one of their own callbacks.
    setImmediate(() => this.#release());
    this.emit('closed', { reason, detail });
  }

  #release(): void {
    if (this.#lingerTimer !== null) clearTimeout(this.#lingerTimer);
    this.#lingerTimer = null;
    if (this.#released) return;
    this.#released = true;
    unreleased.delete(this);
    // This transport holds the engine objects; it stays referenced until the engine reports
    // both closes (see `retiring`).
    this.#forget = retire(this);
    try {
      this.#dc?.close();
    } catch {
      // already closed
    }
    // Extra channels are not reported closed with the connection: close them here. Whoever
    // wrapped them (the file service) also closes them when the link closes.
    this.#onExtra = null;
    this.#heldExtra = [];
    for (const dc of this.#extra) {
      try {
        dc.close();
      } catch {
        // already closed
      }
    }
    try {
      this.#pc.close();
    } catch {
      // already closed
    }
    this.#maybeForget();
  }

  #maybeForget(): void {
    if (this.engineState !== 'let-go' || this.#forget === null) return;
    const forget = this.#forget;
    this.#forget = null;
    // After the engine's own callback has returned.
    setImmediate(forget);
  }
}

export const createNdcTransport: CreateLinkTransport = (options) => new NdcLinkTransport(options);

/**
 * Release the engine's threads and sockets at shutdown, after the links are closed: transports
 * still lingering after a `link.close` are released at once, then the engine is cleaned up on a
 * later turn of the event loop. (`cleanup()` called with channels still alive, or from inside a
 * chain of engine callbacks, was seen to deadlock the main thread in node-datachannel 0.33.4.)
 */
export async function shutdownLinkEngine(): Promise<void> {
  for (const t of [...unreleased]) t.close();
  // Let the deferred releases run and the engine report the closes (bounded).
  for (let waited = 0; waited < 2_000 && (unreleased.size > 0 || retiring.size > 0); waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  ndc.cleanup();
}

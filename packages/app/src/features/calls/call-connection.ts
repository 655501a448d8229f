import type { IceCandidate } from '@discordopus/protocol/calls';
import { CALL_LIMITS } from '@discordopus/protocol/calls';
import { mungeOpus, sdpFingerprint } from './sdp';

export interface CallConnectionOptions {
  iceServers: RTCIceServer[];
  relayOnly: boolean;
  /** Batches of local candidates, only once the description they belong to has been sent. */
  sendCandidates: (candidates: IceCandidate[]) => void;
  onTrack: (stream: MediaStream) => void;
  onConnectionState: (state: RTCPeerConnectionState) => void;
  onDtlsState: (state: RTCDtlsTransportState) => void;
}

/** Remote candidates kept while no remote description is applied yet. */
const MAX_QUEUED_CANDIDATES = 4 * CALL_LIMITS.maxCandidatesPerFrame;

/**
 * One call's RTCPeerConnection (VOICE-01, VOICE-04): Opus munging of every local description,
 * batched trickle ICE (sent only after the description), remote candidates queued until the
 * remote description is applied, ICE restart. The engine owns the state machine; this owns
 * the browser object.
 */
export class CallConnection {
  readonly pc: RTCPeerConnection;
  private readonly outbox: IceCandidate[] = [];
  private readonly inbox: RTCIceCandidateInit[] = [];
  private descriptionSent = false;
  private flushQueued = false;
  private closed = false;

  constructor(private readonly options: CallConnectionOptions) {
    this.pc = new RTCPeerConnection({
      iceServers: options.iceServers,
      iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    });
    this.pc.onicecandidate = (e) => {
      if (e.candidate === null || e.candidate.candidate === '') return;
      const c = e.candidate.toJSON();
      this.outbox.push({ candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null });
      this.scheduleFlush();
    };
    this.pc.ontrack = (e) => options.onTrack(e.streams[0] ?? new MediaStream([e.track]));
    this.pc.onconnectionstatechange = () => {
      if (!this.closed) options.onConnectionState(this.pc.connectionState);
    };
  }

  addTrack(track: MediaStreamTrack, stream: MediaStream): void {
    const sender = this.pc.addTrack(track, stream);
    // The DTLS transport exists once a description is applied; watch it from then on.
    const watch = () => {
      const transport = sender.transport;
      if (transport === null || transport.onstatechange !== null) return;
      transport.onstatechange = () => {
        if (!this.closed) this.options.onDtlsState(transport.state);
      };
    };
    this.watchTransport = watch;
  }

  private watchTransport: () => void = () => {};

  /**
   * Why a 'failed' connection failed: a failed DTLS transport is a certificate that does not match
   * the fingerprint (read here: the transport's own state event may come after the connection's,
   * under load); anything else is the peer gone.
   */
  failureCause(): 'security' | 'peer-lost' {
    return this.pc.getSenders()[0]?.transport?.state === 'failed' ? 'security' : 'peer-lost';
  }

  /** The local DTLS fingerprint (wire form) of the applied local description. */
  localFingerprint(): string | null {
    return sdpFingerprint(this.pc.localDescription?.sdp ?? '');
  }

  async createOffer(iceRestart = false): Promise<string> {
    const offer = await this.pc.createOffer({ iceRestart });
    await this.pc.setLocalDescription({ type: 'offer', sdp: mungeOpus(offer.sdp ?? '') });
    this.watchTransport();
    return this.pc.localDescription?.sdp ?? '';
  }

  async createAnswer(): Promise<string> {
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription({ type: 'answer', sdp: mungeOpus(answer.sdp ?? '') });
    this.watchTransport();
    return this.pc.localDescription?.sdp ?? '';
  }

  async applyRemote(type: 'offer' | 'answer', sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type, sdp });
    this.watchTransport();
    const queued = this.inbox.splice(0);
    for (const c of queued) await this.addRemoteCandidate(c);
  }

  /** Call once the frame carrying the local description has gone out: candidates may follow. */
  descriptionWasSent(): void {
    this.descriptionSent = true;
    this.scheduleFlush();
  }

  /** Returns false when the queue is full (the frame is refused as oversized). */
  async addRemoteCandidates(candidates: IceCandidate[]): Promise<boolean> {
    if (this.pc.remoteDescription === null) {
      if (this.inbox.length + candidates.length > MAX_QUEUED_CANDIDATES) return false;
      this.inbox.push(...candidates);
      return true;
    }
    for (const c of candidates) await this.addRemoteCandidate(c);
    return true;
  }

  private async addRemoteCandidate(c: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(c);
    } catch {
      // A candidate of a superseded ICE generation (after a restart), or one the browser cannot
      // use: ignoring it is what the browser would do with an unreachable one.
    }
  }

  private scheduleFlush(): void {
    if (!this.descriptionSent || this.flushQueued || this.outbox.length === 0) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      while (!this.closed && this.outbox.length > 0) this.options.sendCandidates(this.outbox.splice(0, CALL_LIMITS.maxCandidatesPerFrame));
    });
  }

  close(): void {
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}

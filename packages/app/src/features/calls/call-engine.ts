import { bytesToBase64url } from '@discordopus/protocol';
import { CALL_LIMITS, parseCallFrame, type CallFrame, type CallFrameOf } from '@discordopus/protocol/calls';
import { CallConnection } from './call-connection';
import { hasTurnServer, NoRelayError } from './call-failure';
import { handshakeFingerprint } from './call-stats';
import { CallStateMachine } from './call-state-machine';
import { sdpFingerprint } from './sdp';

/**
 * Ends this side chose without word from the peer (its connection closed or went quiet, the link
 * refused a frame): the peer's own `call.hangup`, arriving later over a slow link, says what
 * really happened and replaces them.
 */
const GUESSED_ENDS: ReadonlySet<string> = new Set(['peer-lost', 'network-lost', 'link-lost']);

/** Candidates kept for an incoming call that is still ringing. */
const MAX_PENDING_CANDIDATES = 4 * CALL_LIMITS.maxCandidatesPerFrame;

/**
 * One 1:1 voice call at a time (VOICE-01..04, PROTOCOL.md §9.2), no React. Frames go out
 * through the injected `send` and come in through `handleFrame` (the contact's link, through
 * the bridge); everything else (timers, randomness, microphone) is injected too. The state and
 * its bookkeeping are CallStateMachine's (call-state-machine.ts).
 */
export class CallEngine extends CallStateMachine {
  /** Starts a call; returns its ID. Refused unless idle or ended. */
  async call(): Promise<string> {
    if (this.busy()) throw new Error('already in a call');
    const callId = bytesToBase64url((this.options.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n))))(CALL_LIMITS.callIdBytes));
    this.setState({ phase: 'outgoing', callId, direction: 'outgoing' });
    let invited = false;
    this.timers.start('ring', this.options.ringTimeoutMs ?? CALL_LIMITS.ringTimeoutMs, () => {
      if (invited) this.options.send({ type: 'call.cancel', callId, reason: 'timeout' });
      this.end('no-answer');
    });
    try {
      const conn = await this.connect(callId);
      const sdp = await conn.createOffer();
      const fingerprint = conn.localFingerprint();
      if (!this.current(callId)) return callId;
      if (fingerprint === null) throw new Error('the local description has no SHA-256 fingerprint');
      this.options.send({ type: 'call.invite', callId, fingerprint, sdp });
      invited = true;
      conn.descriptionWasSent();
    } catch (error) {
      // The peer hears of the call only once invited: nothing to cancel before that.
      this.failSetup(callId, error, () => invited && this.options.send({ type: 'call.cancel', callId, reason: 'cancelled' }));
    }
    return callId;
  }

  /** Answers the ringing incoming call. */
  async accept(): Promise<void> {
    const st = this.st;
    if (st.phase !== 'ringing' || st.direction !== 'incoming' || this.pendingOffer === null) throw new Error('no incoming call to accept');
    const { callId } = st;
    const offer = this.pendingOffer;
    this.timers.clear('ring');
    this.setState({ phase: 'connecting', callId, direction: 'incoming' });
    try {
      const conn = await this.connect(callId);
      await conn.addRemoteCandidates(this.pendingCandidates.splice(0));
      await conn.applyRemote('offer', offer);
      const sdp = await conn.createAnswer();
      const fingerprint = conn.localFingerprint();
      if (!this.current(callId)) return;
      if (fingerprint === null) throw new Error('the local description has no SHA-256 fingerprint');
      this.options.send({ type: 'call.accept', callId, fingerprint, sdp });
      conn.descriptionWasSent();
    } catch (error) {
      this.failSetup(callId, error, () => this.options.send({ type: 'call.hangup', callId, reason: 'error' }));
    }
  }

  decline(): void {
    const st = this.st;
    if (st.phase !== 'ringing' || st.direction !== 'incoming') return;
    this.options.send({ type: 'call.decline', callId: st.callId, reason: 'declined' });
    this.end('declined');
  }

  /**
   * Hangs up (or cancels an unanswered outgoing call, or declines an incoming one). `reason` says
   * why when it is not the user's choice: the link could not carry the invite ('unreachable') or
   * broke during the call ('link-lost'); the peer is told as for a hang-up (best effort).
   */
  hangup(reason: 'hangup' | 'unreachable' | 'link-lost' = 'hangup'): void {
    const st = this.st;
    if (st.phase === 'idle' || st.phase === 'ended') return;
    if (st.phase === 'ringing' && st.direction === 'incoming') {
      if (reason === 'hangup') return this.decline();
      this.options.send({ type: 'call.decline', callId: st.callId, reason: 'declined' });
    } else if (st.phase === 'outgoing' || (st.phase === 'ringing' && st.direction === 'outgoing')) {
      this.options.send({ type: 'call.cancel', callId: st.callId, reason: 'cancelled' });
    } else {
      this.options.send({ type: 'call.hangup', callId: st.callId, reason: 'hangup' });
    }
    this.end(reason);
  }

  /** Another window of this profile accepted or declined this ringing call: stop ringing here. */
  answeredElsewhere(callId: string): void {
    const st = this.st;
    if (st.phase === 'ringing' && st.direction === 'incoming' && st.callId === callId) this.end('answered-elsewhere');
  }

  setMuted(muted: boolean): void {
    this.media.setMuted(muted);
    this.emit('controls', this.media.state);
  }

  setDeafened(deafened: boolean): void {
    this.media.setDeafened(deafened);
    this.emit('controls', this.media.state);
  }

  setOutputDevice(deviceId: string | null, label: string | null = null): Promise<boolean> {
    this.settings = { ...this.settings, outputDeviceId: deviceId, outputDeviceLabel: deviceId === null ? null : label };
    return this.media.setOutputDevice(deviceId, label);
  }

  /** Relay-only changed in Settings (P2P-03): applies from the next call on. */
  setRelayOnly(relayOnly: boolean): void {
    this.options = { ...this.options, relayOnly };
  }

  /**
   * New ICE servers (fresh TURN credentials, another relay): used from the next ICE restart on,
   * for this call and the next ones.
   */
  setIceServers(iceServers: RTCIceServer[]): void {
    this.options = { ...this.options, iceServers };
    const pc = this.conn?.pc;
    if (pc !== undefined) pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
  }

  /** Ends any call without telling the peer (the window is closing; the peer notices peer-lost). */
  dispose(): void {
    if (this.busy()) this.end('hangup');
  }

  /** A frame from the peer, as received (JSON text or decoded value). Never throws. */
  handleFrame(input: unknown): void {
    const parsed = parseCallFrame(input);
    if (!parsed.ok) return this.refuse(parsed.problem, parsed.type);
    const frame = parsed.frame;
    void this.dispatch(frame).catch(() => {
      if (this.current(frame.callId)) this.hangupWith('error');
    });
  }

  private async dispatch(frame: CallFrame): Promise<void> {
    switch (frame.type) {
      case 'call.invite':
        return this.onInvite(frame);
      case 'call.ringing':
        if (!this.isOutgoing(frame.callId, ['outgoing'])) return this.refuse('unexpected', frame.type);
        this.setState({ phase: 'ringing', callId: frame.callId, direction: 'outgoing' });
        return;
      case 'call.accept':
        return this.onAccept(frame);
      case 'call.decline':
        if (!this.isOutgoing(frame.callId, ['outgoing', 'ringing'])) return this.refuse('unexpected', frame.type);
        return this.end(frame.reason);
      case 'call.candidates':
        if (!this.current(frame.callId) || this.st.phase === 'ended') return this.refuse('unexpected', frame.type);
        if (this.conn === null) {
          // The caller trickles while the callee still rings or opens its microphone: keep them
          // (bounded) for accept().
          const waiting = this.st.phase === 'ringing' || this.st.phase === 'connecting';
          if (!waiting || this.pendingCandidates.length + frame.candidates.length > MAX_PENDING_CANDIDATES) {
            return this.refuse(waiting ? 'oversized' : 'unexpected', frame.type);
          }
          this.pendingCandidates.push(...frame.candidates);
          return;
        }
        if (!(await this.conn.addRemoteCandidates(frame.candidates))) this.refuse('oversized', frame.type);
        return;
      case 'call.hangup': {
        const reason = frame.reason === 'hangup' ? 'remote-hangup' : frame.reason === 'error' ? 'remote-error' : frame.reason;
        if (this.current(frame.callId) && this.st.phase === 'ended' && GUESSED_ENDS.has(this.st.reason)) return this.correctEnd(reason);
        if (!this.current(frame.callId) || this.st.phase === 'ended') return this.refuse('unexpected', frame.type);
        return this.end(reason);
      }
      case 'call.restart':
        return this.onRestart(frame);
      case 'call.cancel':
        if (!(this.current(frame.callId) && this.st.phase === 'ringing' && this.st.direction === 'incoming')) {
          return this.refuse('unexpected', frame.type);
        }
        return this.end('missed');
      default: {
        const never: never = frame;
        return never;
      }
    }
  }

  private onInvite(frame: CallFrameOf<'call.invite'>): void {
    if (this.current(frame.callId)) return this.refuse('unexpected', frame.type);
    if (sdpFingerprint(frame.sdp) !== frame.fingerprint) return this.refuse('malformed', frame.type);
    if (this.busy()) {
      this.options.send({ type: 'call.decline', callId: frame.callId, reason: 'busy' });
      return;
    }
    this.resetCall();
    this.pendingOffer = frame.sdp;
    this.remoteFingerprint = frame.fingerprint;
    this.setState({ phase: 'ringing', callId: frame.callId, direction: 'incoming' });
    // The caller cancels after its own timeout; this one only guards against a lost cancel.
    this.timers.start('ring', (this.options.ringTimeoutMs ?? CALL_LIMITS.ringTimeoutMs) + 5_000, () => this.end('missed'));
    this.options.send({ type: 'call.ringing', callId: frame.callId });
  }

  private async onAccept(frame: CallFrameOf<'call.accept'>): Promise<void> {
    if (!this.isOutgoing(frame.callId, ['outgoing', 'ringing']) || this.conn === null) return this.refuse('unexpected', frame.type);
    this.timers.clear('ring');
    // The fingerprint came over the identity-bound link: the answer must carry the same one.
    if (sdpFingerprint(frame.sdp) !== frame.fingerprint) return this.hangupWith('security');
    this.remoteFingerprint = frame.fingerprint;
    this.setState({ phase: 'connecting', callId: frame.callId, direction: 'outgoing' });
    await this.conn.applyRemote('answer', frame.sdp);
  }

  private async onRestart(frame: CallFrameOf<'call.restart'>): Promise<void> {
    const st = this.st;
    const conn = this.conn;
    if (!this.current(frame.callId) || (st.phase !== 'connecting' && st.phase !== 'in-call') || conn === null) {
      return this.refuse('unexpected', frame.type);
    }
    if (frame.kind === 'answer' && !this.restarting) return this.refuse('unexpected', frame.type);
    if (sdpFingerprint(frame.sdp) !== this.remoteFingerprint) return this.hangupWith('security');
    if (frame.kind === 'answer') {
      this.restarting = false;
      return conn.applyRemote('answer', frame.sdp);
    }
    await conn.applyRemote('offer', frame.sdp);
    const sdp = await conn.createAnswer();
    if (this.current(frame.callId)) this.options.send({ type: 'call.restart', callId: frame.callId, kind: 'answer', sdp });
  }

  private async connect(callId: string): Promise<CallConnection> {
    // P2P-03: relay-only without a TURN relay would never connect (or, unenforced, leak the address).
    if ((this.options.relayOnly ?? false) && !hasTurnServer(this.options.iceServers ?? [])) throw new NoRelayError();
    const { stream, track, chosenMissing } = await this.media.open(this.settings);
    if (!this.current(callId) || this.st.phase === 'ended') {
      this.media.close();
      throw new Error('the call ended while the microphone opened');
    }
    if (chosenMissing) this.emit('microphoneFallback', { callId });
    const conn = new CallConnection({
      iceServers: this.options.iceServers ?? [],
      relayOnly: this.options.relayOnly ?? false,
      sendCandidates: (candidates) => this.options.send({ type: 'call.candidates', callId, candidates }),
      onTrack: (remote) => this.media.playRemote(remote),
      onConnectionState: (state) => void this.onConnectionState(callId, state),
      onDtlsState: (state) => {
        // A DTLS handshake that fails is a certificate that does not match the fingerprint.
        if (state === 'failed' && this.current(callId)) this.hangupWith('security');
        // The peer closed its connection: its call.hangup is normally on the way over the link;
        // without one within the grace period, the peer is gone.
        else if (state === 'closed' && this.current(callId) && this.busy() && !this.timers.has('grace')) {
          this.timers.start('grace', this.options.reconnectGraceMs ?? 5_000, () => this.hangupWith('peer-lost'));
        }
      },
    });
    conn.addTrack(track, stream);
    this.conn = conn;
    return conn;
  }

  private async onConnectionState(callId: string, state: RTCPeerConnectionState): Promise<void> {
    if (!this.current(callId) || this.st.phase === 'ended') return;
    this.emit('connectionChanged', { state });
    if (state === 'connected') {
      this.timers.clear('grace');
      if (this.st.phase !== 'connecting') return;
      const seen = await handshakeFingerprint(() => (this.current(callId) ? (this.conn?.pc ?? null) : null), (ms) => this.timers.delay(ms));
      if (!this.current(callId) || this.st.phase !== 'connecting') return;
      if (seen === null || seen !== this.remoteFingerprint) return this.hangupWith('security');
      this.setState({ phase: 'in-call', callId, direction: this.st.direction, connectedAt: this.clock.now() });
      const conn = this.conn;
      if (conn !== null) this.startSampler(conn.pc, callId);
    } else if (state === 'disconnected') {
      // VOICE-04: the caller restarts ICE (only one side, so there is no glare); both sides give
      // the connection a grace period to come back before calling the peer lost.
      if (!this.timers.has('grace')) this.timers.start('grace', this.options.reconnectGraceMs ?? 5_000, () => this.hangupWith('peer-lost'));
      const st = this.st;
      if (st.phase !== 'idle' && st.direction === 'outgoing' && !this.restarting && this.conn !== null) {
        this.restarting = true;
        const sdp = await this.conn.createOffer(true);
        if (this.current(callId) && this.busy()) this.options.send({ type: 'call.restart', callId, kind: 'offer', sdp });
      }
    } else if (state === 'failed') {
      this.hangupWith(this.conn?.failureCause() ?? 'peer-lost');
    }
  }
}

/**
 * The baseline of `bench/calls.ts`: the same browser calling the same way with no CallEngine —
 * a bare RTCPeerConnection pair exchanging offer, answer and candidates through a plain local
 * WebSocket. Bench-only page code; never part of the app bundle.
 */

declare global {
  interface Window {
    bareCall: BareCall;
  }
}

type Signal = { kind: 'offer'; sdp: string } | { kind: 'answer'; sdp: string } | { kind: 'candidate'; candidate: RTCIceCandidateInit };

export class BareCall {
  private ws: WebSocket | null = null;
  private pc: RTCPeerConnection | null = null;
  private offer: string | null = null;
  private readonly early: RTCIceCandidateInit[] = [];
  private stream: MediaStream | null = null;

  /** Opens this side's socket to the bench's relay and a fresh connection (the microphone opens on call or accept). */
  async open(url: string): Promise<void> {
    this.close();
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    this.ws = ws;
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate !== null) ws.send(JSON.stringify({ kind: 'candidate', candidate: e.candidate.toJSON() } satisfies Signal));
    };
    pc.ontrack = (e) => {
      const audio = document.createElement('audio');
      audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      void audio.play().catch(() => {});
    };
    ws.onmessage = (e) => void this.onSignal(JSON.parse(String(e.data)) as Signal);
  }

  private async onSignal(signal: Signal): Promise<void> {
    const pc = this.pc;
    if (pc === null) return;
    if (signal.kind === 'offer') this.offer = signal.sdp;
    else if (signal.kind === 'answer') await pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
    else if (pc.remoteDescription === null) this.early.push(signal.candidate);
    else await pc.addIceCandidate(signal.candidate).catch(() => {});
  }

  /** Caller: opens the microphone, offers with its track. */
  async call(): Promise<void> {
    const { pc, ws } = this.required();
    const stream = await this.openMicrophone();
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription(await pc.createOffer());
    ws.send(JSON.stringify({ kind: 'offer', sdp: pc.localDescription?.sdp ?? '' } satisfies Signal));
  }

  /** Whether the callee has the offer (it "rings"). */
  get ringing(): boolean {
    return this.offer !== null;
  }

  /**
   * Callee: opens the microphone and answers, then milliseconds from here to the first inbound
   * audio packet. The microphone opens inside the timed span, as the CallEngine's does at accept.
   */
  async acceptAndTimeFirstPacket(): Promise<number> {
    const t0 = performance.now();
    const { pc, ws } = this.required();
    const stream = await this.openMicrophone();
    await pc.setRemoteDescription({ type: 'offer', sdp: this.offer ?? '' });
    for (const c of this.early.splice(0)) await pc.addIceCandidate(c).catch(() => {});
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription(await pc.createAnswer());
    ws.send(JSON.stringify({ kind: 'answer', sdp: pc.localDescription?.sdp ?? '' } satisfies Signal));
    for (;;) {
      let packets = 0;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') packets = s.packetsReceived ?? 0;
      });
      if (packets > 0) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  close(): void {
    this.pc?.close();
    this.ws?.close();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.pc = null;
    this.ws = null;
    this.stream = null;
    this.offer = null;
    this.early.length = 0;
  }

  private async openMicrophone(): Promise<MediaStream> {
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    return this.stream;
  }

  private required(): { pc: RTCPeerConnection; ws: WebSocket } {
    if (this.pc === null || this.ws === null) throw new Error('bareCall.open() first');
    return { pc: this.pc, ws: this.ws };
  }
}

window.bareCall = new BareCall();

import { type DtlsFingerprint, type LinkSignalBody, PEER_LIMITS, sameFingerprint, sdpFingerprint } from '@discordopus/protocol';
import { RelayCandidateGate, relayOnlyFilter, withoutCandidateLines } from './engine/candidates';
import type { LinkCandidate, LinkTransport } from './engine/link-transport';

export interface LinkSetupOptions {
  transport: LinkTransport;
  /** Relay-only (P2P-03): relay candidates only, the peer's only on our own TURN relay addresses. */
  relayOnly: boolean;
  /** Seal and relay one set-up message. */
  sendSignal(body: LinkSignalBody): void;
  /** The peer's signed description does not hold together (P2P-02). */
  authFailed(reason: string): void;
  /** This side's engine produced a description without a fingerprint. */
  failed(): void;
  /** Debug log of a dropped set-up message (its type only). */
  dropped(type: string): void;
}

type DescriptionBody = Extract<LinkSignalBody, { type: 'link.offer' | 'link.answer' }>;

/**
 * The description and candidate exchange of one link (P2P-01..03): the peer's signed description
 * checked against its own fingerprint and applied once, candidates that arrive before it held,
 * relay-only's filtering both ways, and our own description and candidates sent in batches.
 */
export class LinkSetup {
  readonly #o: LinkSetupOptions;
  readonly #t: LinkTransport;
  readonly #gate: RelayCandidateGate | null;
  #signaledRemote: DtlsFingerprint | null = null;
  #remoteApplied = false;
  #earlyCandidates: LinkCandidate[] = [];

  constructor(options: LinkSetupOptions) {
    this.#o = options;
    this.#t = options.transport;
    this.#gate = options.relayOnly ? new RelayCandidateGate() : null;
  }

  /** The fingerprint the peer signed in its description (checked against the channel's later). */
  get signaledRemote(): DtlsFingerprint | null {
    return this.#signaledRemote;
  }

  /** Whether the peer's description arrived (for the offerer: the offer was answered). */
  get answered(): boolean {
    return this.#remoteApplied;
  }

  /** Relay-only: the peer's candidates refused (not relayed through one of our TURN servers). */
  get droppedCandidates(): number {
    return this.#gate?.dropped ?? 0;
  }

  /** The peer's offer (answerer) or answer (offerer). */
  handleDescription(body: DescriptionBody): void {
    const expected = this.#t.role === 'offerer' ? 'link.answer' : 'link.offer';
    if (body.type !== expected || this.#remoteApplied) return this.#o.dropped(body.type);
    // The signed fingerprint must be the one in the signed SDP (P2P-02).
    const inSdp = sdpFingerprint(body.sdp);
    if (inSdp === null || !sameFingerprint(inSdp, body.fingerprint)) {
      return this.#o.authFailed('the signed fingerprint is not the one in the description');
    }
    this.#signaledRemote = body.fingerprint;
    this.#remoteApplied = true;
    const sdp = this.#o.relayOnly ? withoutCandidateLines(body.sdp) : body.sdp;
    this.#t.applyRemoteDescription(sdp, body.type === 'link.offer' ? 'offer' : 'answer');
    if (this.#earlyCandidates.length > 0) this.#addRemote(this.#earlyCandidates.splice(0));
  }

  /** The peer's candidates: used once its description is applied, held (bounded) before. */
  handleCandidates(candidates: readonly LinkCandidate[]): void {
    if (this.#remoteApplied) this.#addRemote(candidates);
    else if (this.#earlyCandidates.length < PEER_LIMITS.maxCandidatesPerMessage * 4) this.#earlyCandidates.push(...candidates);
  }

  /** Our engine's description: signed and sealed by the manager, with its fingerprint. */
  localDescription(sdp: string, type: 'offer' | 'answer'): void {
    const fingerprint = sdpFingerprint(sdp);
    if (fingerprint === null) return this.#o.failed();
    this.#o.sendSignal({ type: type === 'offer' ? 'link.offer' : 'link.answer', sdp, fingerprint });
  }

  /** Our engine's candidates. Relay-only: never tell the peer a host or reflexive address. */
  localCandidates(all: LinkCandidate[]): void {
    const released = this.#gate?.learnLocal(all) ?? [];
    if (released.length > 0 && this.#remoteApplied) this.#t.addRemoteCandidates(released);
    const candidates = relayOnlyFilter(all, this.#o.relayOnly);
    const max = PEER_LIMITS.maxCandidatesPerMessage;
    for (let i = 0; i < candidates.length; i += max) {
      this.#o.sendSignal({ type: 'link.candidates', candidates: candidates.slice(i, i + max) });
    }
  }

  /** The set-up is over (open or closed): candidates still held are dropped and counted. */
  finish(): void {
    this.#gate?.finish();
  }

  /** Relay-only (P2P-03): pair only with relay candidates on our own TURN servers (engine/candidates.ts). */
  #addRemote(candidates: readonly LinkCandidate[]): void {
    const usable = this.#gate ? this.#gate.admit(candidates) : candidates;
    if (usable.length > 0) this.#t.addRemoteCandidates(usable);
  }
}

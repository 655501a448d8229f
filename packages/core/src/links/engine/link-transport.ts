import type { IceConfiguration } from '../../network/ice-config';

/** One ICE candidate as it travels in `link.candidates`: the SDP `a=candidate` line and its media id. */
export interface LinkCandidate {
  candidate: string;
  mid: string;
}

/** How the selected candidate pair reaches the peer: straight (host, srflx, prflx) or through TURN. */
export type LinkPath = 'direct' | 'relayed';

/** Why a transport closed on its own (the link layer adds its own reasons on top). */
export type TransportCloseReason = 'failed' | 'closed' | 'engine-error';

export type LinkTransportEvents = {
  /** The local offer or answer, without candidates (they follow in `localCandidates`). */
  localDescription: (e: { sdp: string; type: 'offer' | 'answer' }) => void;
  /**
   * Local candidates, batched. The offerer holds its candidates until it has applied the
   * answer; the answerer sends them after its answer (ARCHITECTURE: set-up order).
   */
  localCandidates: (e: { candidates: LinkCandidate[] }) => void;
  /** The data channel is open: frames can flow. */
  open: (e: Record<string, never>) => void;
  /** A text message arrived on the data channel. Binary messages arrive with `binary: true`. */
  message: (e: { text: string; binary: boolean; bytes: number }) => void;
  /** The transport is gone (emitted once). */
  closed: (e: { reason: TransportCloseReason; detail: string | null }) => void;
};

export interface LinkTransport {
  readonly role: 'offerer' | 'answerer';
  /** Offerer: create the channel, which produces the offer. Answerer: nothing to do until the offer arrives. */
  start(): void;
  /** Apply the peer's offer (answerer) or answer (offerer). Errors close the transport. */
  applyRemoteDescription(sdp: string, type: 'offer' | 'answer'): void;
  addRemoteCandidates(candidates: readonly LinkCandidate[]): void;
  /** Send one text frame; false if the channel is not open. */
  send(text: string): boolean;
  /** Bytes queued in the channel, not yet sent. */
  bufferedAmount(): number;
  /** Our DTLS fingerprint as `"sha-256 AB:CD:…"` (parsed from our own SDP), or null before the description. */
  localFingerprint(): string | null;
  /** The peer's DTLS fingerprint as the transport reports it, same form, or null before DTLS. */
  remoteFingerprint(): string | null;
  /** The selected candidate pair, or null before ICE has selected one. */
  selectedPath(): { path: LinkPath; localType: string; remoteType: string } | null;
  /** Close the channel and the connection; idempotent; emits no `closed`. */
  close(): void;
  on<E extends keyof LinkTransportEvents>(event: E, listener: LinkTransportEvents[E]): () => void;
}

export interface LinkTransportOptions {
  role: 'offerer' | 'answerer';
  ice: IceConfiguration;
  /** Bind ICE to one local address (tests: 127.0.0.1, one host candidate, no mDNS). */
  bindAddress?: string;
  /** A name for the engine's own logs; never a key or an address. */
  name: string;
}

/** The engine factory the link manager is given (real: node-datachannel; tests may inject failures). */
export type CreateLinkTransport = (options: LinkTransportOptions) => LinkTransport;

/** `"sha-256 AB:CD:…"`: the algorithm in lower case, the hex in upper case, as SDP writes it. */
export function normalizeFingerprint(algorithm: string, value: string): string {
  return `${algorithm.trim().toLowerCase()} ${value.trim().toUpperCase()}`;
}

/** The `a=fingerprint:` line of an SDP, normalized, or null. */
export function fingerprintFromSdp(sdp: string): string | null {
  const m = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m.exec(sdp);
  return m?.[1] && m[2] ? normalizeFingerprint(m[1], m[2]) : null;
}

/** The path of a selected pair from the local candidate's type (host, srflx, prflx or relay). */
export function pathOf(localType: string, remoteType: string): LinkPath {
  return localType === 'relay' || remoteType === 'relay' ? 'relayed' : 'direct';
}

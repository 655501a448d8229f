import { type DtlsFingerprint, dtlsFingerprintSchema, type LinkCandidate } from '@discordopus/protocol';
import type { DataChannel } from 'node-datachannel';
import type { IceConfiguration } from '../../ice/ice-config';

export type { LinkCandidate };

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
  /**
   * The channel's buffered amount fell to the low threshold (`bufferedAmountLowThreshold`) from
   * above it: a sender held back by back-pressure may send again.
   */
  bufferedAmountLow: (e: Record<string, never>) => void;
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
  /** Our DTLS fingerprint (parsed from our own SDP), or null before the description. */
  localFingerprint(): DtlsFingerprint | null;
  /** The peer's DTLS fingerprint as the transport reports it, or null before DTLS. */
  remoteFingerprint(): DtlsFingerprint | null;
  /** The selected candidate pair, or null before ICE has selected one. */
  selectedPath(): { path: LinkPath; localType: string; remoteType: string } | null;
  /** Close the channel and the connection now; idempotent; emits no `closed`. */
  close(): void;
  /**
   * Stop reporting anything and close once what was sent has reached the peer: when the peer
   * closes its side, or after `graceMs` at the latest. Emits no `closed`.
   */
  closeAfterFlush(graceMs: number): void;
  on<E extends keyof LinkTransportEvents>(event: E, listener: LinkTransportEvents[E]): () => void;
  /**
   * Extra data channels on the same connection (files, FILE-01): create one labelled `label`
   * (null when the transport is closed or has none). The transport closes every extra channel
   * when it is released (node-datachannel does not report them closed with their connection).
   */
  openExtraChannel?(label: string): DataChannel | null;
  /**
   * Incoming extra channels whose label starts with one of EXTRA_CHANNEL_PREFIXES; those that
   * arrive before a listener is set are held for it. One listener: a later call replaces it.
   */
  onExtraChannel?(listener: (channel: DataChannel) => void): void;
}

/** Label prefixes of the extra channels a transport hands over (anything else is closed). */
export const EXTRA_CHANNEL_PREFIXES: readonly string[] = ['dopus-file:'];

export interface LinkTransportOptions {
  role: 'offerer' | 'answerer';
  ice: IceConfiguration;
  /** Bind ICE to one local address (tests: 127.0.0.1, one host candidate, no mDNS). */
  bindAddress?: string;
  /** A name for the engine's own logs; never a key or an address. */
  name: string;
  /** `bufferedAmountLow` fires when the channel's buffer falls to this many bytes (default 0). */
  bufferedAmountLowThreshold?: number;
}

/** The engine factory the link manager is given (real: node-datachannel; tests may inject failures). */
export type CreateLinkTransport = (options: LinkTransportOptions) => LinkTransport;

/** A fingerprint as the engine reports it (any case), checked; null if it is not one we accept. */
export function engineFingerprint(algorithm: string, value: string): DtlsFingerprint | null {
  const parsed = dtlsFingerprintSchema.safeParse({ algorithm: algorithm.trim().toLowerCase(), value: value.trim().toUpperCase() });
  return parsed.success ? parsed.data : null;
}

/** The path of a selected pair from the local candidate's type (host, srflx, prflx or relay). */
export function pathOf(localType: string, remoteType: string): LinkPath {
  return localType === 'relay' || remoteType === 'relay' ? 'relayed' : 'direct';
}

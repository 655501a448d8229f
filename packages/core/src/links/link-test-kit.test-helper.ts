import { bytesToHex, type DtlsFingerprint } from '@discordopus/protocol';
import { Identity } from '../identity/identity';
import type { IceServer } from '../ice/ice-config';
import type { Clock } from '../signaling/clock';
import type { CreateLinkTransport, LinkTransport, LinkTransportEvents } from './engine/link-transport';
import { createNdcTransport } from './engine/ndc-transport';
import type { LinkManagerEvents, LinkStateEvent } from './link-events';
import { LinkManager } from './link-manager';
import type { LinkTunables } from './link-options';
import { SignalSealer, signProfileCard } from './sealing';

/**
 * Test kit for the link layer: real identities, real sealers, real node-datachannel transports on
 * 127.0.0.1, and an in-process relay between managers that a test can tamper with (failure
 * injection: drop, duplicate, alter, re-stamp). Integration tests replace the relay with the
 * real signaling server.
 */
export interface TestNode {
  name: string;
  identity: Identity;
  hex: string;
  manager: LinkManager;
  states: LinkStateEvent[];
  frames: Parameters<LinkManagerEvents['frame']>[0][];
  warnings: Parameters<LinkManagerEvents['securityWarning']>[0][];
  stats: Parameters<LinkManagerEvents['linkStats']>[0][];
  /** Contacts this node considers mutual and online. */
  mutualOnline: Set<string>;
  /** Contacts this node has, online or not (a contact who shows offline may be invisible). */
  contacts: Set<string>;
  /** The transports this node's manager created, newest last (for failure injection). */
  transports: FaultyTransport[];
}

/** What a relay does with one message: deliver it (possibly changed), several times, or not. */
export type RelayTamper = (msg: { from: string; to: string; payload: string }) => { from: string; to: string; payload: string }[];

export class TestRelay {
  readonly nodes = new Map<string, TestNode>();
  tamper: RelayTamper = (m) => [m];
  /** Every payload relayed, in order (for replays). */
  readonly log: { from: string; to: string; payload: string }[] = [];

  send(from: string, to: string, payload: string): void {
    const msg = { from, to, payload };
    this.log.push(msg);
    for (const out of this.tamper(msg)) {
      setImmediate(() => this.nodes.get(out.to)?.manager.handleSignal({ from: out.from, payload: out.payload }));
    }
  }
}

/** A real transport with switches a test can flip: lie about the remote fingerprint, go deaf. */
export class FaultyTransport implements LinkTransport {
  readonly #inner: LinkTransport;
  fakeRemoteFingerprint: DtlsFingerprint | null = null;
  fakeLocalFingerprint: DtlsFingerprint | null = null;
  /** Drop every incoming message (a peer that stopped answering). */
  deaf = false;
  /** Rewrite this side's candidates before the link sends them (a peer that lies about types). */
  mapLocalCandidate: ((candidate: string) => string) | null = null;
  /** Candidate lines added to this side's first batch (a peer that invents candidates). */
  extraLocalCandidates: string[] = [];
  /** SDP lines (`a=candidate:…`) added to this side's description before it is signed and sent. */
  extraSdpLines: string[] = [];
  /** Every text message that arrived (before `deaf` applies). */
  readonly received: string[] = [];
  /** Report this many bytes waiting in the channel instead of the real figure (a full buffer). */
  fakeBufferedAmount: number | null = null;
  readonly #lowListeners: LinkTransportEvents['bufferedAmountLow'][] = [];

  /** Report `bufferedAmountLow` as the engine does when its buffer drains. */
  emitBufferedAmountLow(): void {
    for (const l of this.#lowListeners) l({});
  }

  constructor(inner: LinkTransport) {
    this.#inner = inner;
  }

  get role(): 'offerer' | 'answerer' {
    return this.#inner.role;
  }

  start(): void {
    this.#inner.start();
  }
  applyRemoteDescription(sdp: string, type: 'offer' | 'answer'): void {
    this.#inner.applyRemoteDescription(sdp, type);
  }
  addRemoteCandidates(candidates: Parameters<LinkTransport['addRemoteCandidates']>[0]): void {
    this.#inner.addRemoteCandidates(candidates);
  }
  send(text: string): boolean {
    return this.#inner.send(text);
  }
  bufferedAmount(): number {
    return this.fakeBufferedAmount ?? this.#inner.bufferedAmount();
  }
  localFingerprint(): DtlsFingerprint | null {
    return this.fakeLocalFingerprint ?? this.#inner.localFingerprint();
  }
  remoteFingerprint(): DtlsFingerprint | null {
    return this.fakeRemoteFingerprint ?? this.#inner.remoteFingerprint();
  }
  selectedPath(): ReturnType<LinkTransport['selectedPath']> {
    return this.#inner.selectedPath();
  }
  close(): void {
    this.#inner.close();
  }
  closeAfterFlush(graceMs: number): void {
    this.#inner.closeAfterFlush(graceMs);
  }
  on<E extends keyof LinkTransportEvents>(event: E, listener: LinkTransportEvents[E]): () => void {
    if (event === 'localCandidates') {
      const wrapped = ((e: Parameters<LinkTransportEvents['localCandidates']>[0]) => {
        const map = this.mapLocalCandidate;
        const mid = e.candidates[0]?.mid ?? '0';
        const extra = this.extraLocalCandidates.splice(0).map((candidate) => ({ candidate, mid }));
        const mapped = map ? e.candidates.map((c) => ({ ...c, candidate: map(c.candidate) })) : e.candidates;
        (listener as LinkTransportEvents['localCandidates'])({ candidates: [...mapped, ...extra] });
      }) as LinkTransportEvents[E];
      return this.#inner.on(event, wrapped);
    }
    if (event === 'localDescription') {
      const wrapped = ((e: Parameters<LinkTransportEvents['localDescription']>[0]) => {
        const extra = this.extraSdpLines.map((line) => `${line}\r\n`).join('');
        const sdp = extra === '' ? e.sdp : `${e.sdp.replace(/(\r\n)?$/, '\r\n')}${extra}`;
        (listener as LinkTransportEvents['localDescription'])({ ...e, sdp });
      }) as LinkTransportEvents[E];
      return this.#inner.on(event, wrapped);
    }
    if (event === 'bufferedAmountLow') this.#lowListeners.push(listener as LinkTransportEvents['bufferedAmountLow']);
    if (event !== 'message') return this.#inner.on(event, listener);
    const wrapped = ((e: Parameters<LinkTransportEvents['message']>[0]) => {
      this.received.push(e.text);
      if (!this.deaf) (listener as LinkTransportEvents['message'])(e);
    }) as LinkTransportEvents[E];
    return this.#inner.on(event, wrapped);
  }
}

export interface NodeOptions {
  clock: Clock;
  relay: TestRelay;
  tunables?: Partial<LinkTunables>;
  relayOnly?: boolean;
  /** ICE servers (default none: host candidates only). */
  iceServers?: IceServer[];
  /** Wrap or replace the engine (default: the real one behind a FaultyTransport). */
  createPeerConnection?: CreateLinkTransport;
  displayName?: string;
  /** Called with every transport this node creates (to set faults before anything flows). */
  onTransport?: (t: FaultyTransport) => void;
}

export function makeNode(name: string, options: NodeOptions): TestNode {
  const identity = Identity.create(options.displayName ?? name);
  const hex = bytesToHex(identity.publicKey);
  const transports: FaultyTransport[] = [];
  const mutualOnline = new Set<string>();
  const contacts = new Set<string>();
  const card = signProfileCard({ identity, displayName: identity.displayName, updatedAtMs: options.clock.now() });
  const manager = new LinkManager({
    identity,
    sealer: new SignalSealer({ identity, clock: options.clock }),
    sendSignal: (to, payload) => options.relay.send(hex, to, payload),
    contacts: { isMutualOnline: (key) => mutualOnline.has(key), isContact: (key) => contacts.has(key) || mutualOnline.has(key) },
    iceConfiguration: () => ({ iceServers: options.iceServers ?? [], iceTransportPolicy: options.relayOnly ? 'relay' : 'all' }),
    ownProfileCard: () => card,
    clock: options.clock,
    random: () => 0,
    bindAddress: '127.0.0.1',
    createPeerConnection:
      options.createPeerConnection ??
      ((o) => {
        const t = new FaultyTransport(createNdcTransport(o));
        transports.push(t);
        options.onTransport?.(t);
        return t;
      }),
    ...(options.tunables ? { tunables: options.tunables } : {}),
  });
  const node: TestNode = { name, identity, hex, manager, states: [], frames: [], warnings: [], stats: [], mutualOnline, contacts, transports };
  manager.on('linkState', (e) => node.states.push(e));
  manager.on('frame', (e) => node.frames.push(e));
  manager.on('securityWarning', (e) => node.warnings.push(e));
  manager.on('linkStats', (e) => node.stats.push(e));
  options.relay.nodes.set(hex, node);
  return node;
}

/** Make nodes mutual contacts, online to each other. */
export function befriendNodes(...nodes: TestNode[]): void {
  for (const a of nodes) {
    for (const b of nodes) {
      if (a === b) continue;
      a.mutualOnline.add(b.hex);
      a.contacts.add(b.hex);
    }
  }
}

/** The states one node saw for links to `peer`, as `state[:reason]`. */
export function statesOf(node: TestNode, peer: TestNode): string[] {
  return node.states.filter((s) => s.peer === peer.hex).map((s) => (s.reason ? `${s.state}:${s.reason}` : s.state));
}

export function isOpen(node: TestNode, peer: TestNode): boolean {
  return node.manager.info(peer.hex)?.state === 'open';
}

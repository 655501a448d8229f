import type { LinkCandidate } from './link-transport';

/**
 * ICE candidate lines, read only as far as relay-only needs (P2P-03): a relay-only link tells the
 * peer only its relay candidates and pairs only with the peer's, because the engine does not
 * enforce the relay policy on its own (ARCHITECTURE: facts checked here).
 */
/** The `typ` of an ICE candidate line (host, srflx, prflx, relay), or null. */
export function candidateType(candidate: string): string | null {
  return / typ ([a-z]+)/.exec(candidate)?.[1] ?? null;
}

/**
 * An SDP with every `a=candidate` line removed. Relay-only takes the peer's candidates only from
 * `link.candidates`, through the RelayCandidateGate (honest peers send descriptions without
 * candidates, PROTOCOL.md 6.4); a candidate inside a description would bypass the gate.
 */
export function withoutCandidateLines(sdp: string): string {
  return sdp
    .split(/\r\n|\n/)
    .filter((line) => !line.startsWith('a=candidate:'))
    .join('\r\n');
}

/**
 * With relay-only, only the relay candidates of a list; else the list: a relay-only link tells the
 * peer only its own relay candidates (the peer's go through the RelayCandidateGate). A check from
 * our host address to a TURN relay is refused by the relay (no permission for that address),
 * leaving only relay-to-relay pairs; the selected-pair check stays as the last guard.
 */
export function relayOnlyFilter<T extends { candidate: string }>(candidates: T[], relayOnly: boolean): T[] {
  return relayOnly ? candidates.filter((c) => candidateType(c.candidate) === 'relay') : candidates;
}

/** The connection address of an ICE candidate line (lower case), or null. */
export function candidateAddress(candidate: string): string | null {
  const fields = candidate.replace(/^a=/, '').trim().split(/\s+/);
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> …
  return fields.length >= 8 && fields[6] === 'typ' ? (fields[4]?.toLowerCase() ?? null) : null;
}

/** Remote candidates held while this side's own relay addresses are not known yet. */
const MAX_HELD_CANDIDATES = 64;

/**
 * Relay-only's gate for the peer's candidates (P2P-03). The engine checks every remote candidate
 * from its host socket too, whatever the policy, so a candidate that merely *says* `typ relay`
 * would make this side send from its own address to wherever the peer points it — a malicious
 * contact would learn our IP. A remote relay candidate is therefore used only if its address is
 * one this side's own TURN allocations have (both users get their TURN servers from the same
 * signaling server, so an honest peer's relay address is one of them); the others are dropped
 * and counted. Remote candidates that arrive before this side's own relay candidates are held
 * (bounded) until those are known.
 */
export class RelayCandidateGate {
  readonly #relayAddresses = new Set<string>();
  #held: LinkCandidate[] = [];
  /** Remote candidates refused (not relay, or a relay address none of our TURN servers has). */
  dropped = 0;

  /** This side's own candidates: their relay addresses become acceptable; returns held candidates now usable. */
  learnLocal(candidates: readonly LinkCandidate[]): LinkCandidate[] {
    let learned = false;
    for (const c of candidates) {
      const address = candidateAddress(c.candidate);
      if (candidateType(c.candidate) === 'relay' && address !== null && !this.#relayAddresses.has(address)) {
        this.#relayAddresses.add(address);
        learned = true;
      }
    }
    if (!learned || this.#held.length === 0) return [];
    const usable: LinkCandidate[] = [];
    for (const c of this.#held.splice(0)) {
      if (this.#ours(c)) usable.push(c);
      else this.#held.push(c);
    }
    return usable;
  }

  /** The peer's candidates: the usable ones now; relay ones of unknown address are held until learnLocal. */
  admit(candidates: readonly LinkCandidate[]): LinkCandidate[] {
    const usable: LinkCandidate[] = [];
    for (const c of candidates) {
      if (candidateType(c.candidate) !== 'relay') this.dropped += 1;
      else if (this.#ours(c)) usable.push(c);
      else if (this.#held.length < MAX_HELD_CANDIDATES) this.#held.push(c);
      else this.dropped += 1;
    }
    return usable;
  }

  /** The set-up is over (open or closed): what is still held is dropped and counted. */
  finish(): void {
    this.dropped += this.#held.length;
    this.#held = [];
  }

  #ours(c: LinkCandidate): boolean {
    const address = candidateAddress(c.candidate);
    return address !== null && this.#relayAddresses.has(address);
  }
}

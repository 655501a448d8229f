/**
 * ICE candidate lines, read only as far as relay-only needs (P2P-03): a relay-only link tells the
 * peer only its relay candidates and pairs only with the peer's, because the engine does not
 * enforce the relay policy on its own (ARCHITECTURE: facts checked here).
 */
/** The `typ` of an ICE candidate line (host, srflx, prflx, relay), or null. */
export function candidateType(candidate: string): string | null {
  return / typ ([a-z]+)/.exec(candidate)?.[1] ?? null;
}

/** An SDP with every `a=candidate` line that is not a relay candidate removed. */
export function keepRelayCandidateLines(sdp: string): string {
  return sdp
    .split(/\r\n|\n/)
    .filter((line) => !line.startsWith('a=candidate:') || candidateType(line) === 'relay')
    .join('\r\n');
}

/**
 * With relay-only, only the relay candidates of a list; else the list. The engine does not
 * enforce the policy (its host socket still checks every remote candidate), so a relay-only link
 * tells the peer only its relay candidates and pairs only with the peer's: a check from our host
 * address to a TURN relay is refused by the relay (no permission for that address), leaving only
 * relay-to-relay pairs. The selected-pair check stays as the last guard. (A peer can still label
 * its own address `relay`: README, known limit.)
 */
export function relayOnlyFilter<T extends { candidate: string }>(candidates: T[], relayOnly: boolean): T[] {
  return relayOnly ? candidates.filter((c) => candidateType(c.candidate) === 'relay') : candidates;
}

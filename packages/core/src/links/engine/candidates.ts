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

/**
 * What keeps a link open past its idle period (P2P-01, FILE-01): features that use a contact's
 * link outside its frames — a file transfer's bytes on its own channel — register a check here,
 * and a link its check calls in use is neither closed as idle nor chosen to make room while
 * another is not. The frames themselves count through `lastUsedAt`, not through a check.
 */
export type InUseCheck = (peer: string) => boolean;

export class LinkUse {
  readonly #checks = new Set<InUseCheck>();

  /** Register a check; the returned function removes it. */
  add(check: InUseCheck): () => void {
    this.#checks.add(check);
    return () => this.#checks.delete(check);
  }

  inUse(peer: string): boolean {
    for (const check of this.#checks) if (check(peer)) return true;
    return false;
  }

  /** The link to close to make room: the least recently used of those not in use, else of all. */
  evictable<L extends { peer: string; lastUsedAt: number }>(links: Iterable<L>): L | null {
    let idle: L | null = null;
    let any: L | null = null;
    for (const link of links) {
      if (!any || link.lastUsedAt < any.lastUsedAt) any = link;
      if (!this.inUse(link.peer) && (!idle || link.lastUsedAt < idle.lastUsedAt)) idle = link;
    }
    return idle ?? any;
  }
}

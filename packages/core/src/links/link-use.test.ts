import { describe, expect, it } from 'vitest';
import { LinkUse } from './link-use';

describe('what keeps a link open (P2P-01, FILE-01)', () => {
  it('P2P-01: any registered check can call a link in use; a removed one no longer does', () => {
    const use = new LinkUse();
    expect(use.inUse('a')).toBe(false);
    const removeA = use.add((peer) => peer === 'a');
    use.add((peer) => peer === 'b');
    expect([use.inUse('a'), use.inUse('b'), use.inUse('c')]).toEqual([true, true, false]);
    removeA();
    expect(use.inUse('a')).toBe(false);
  });

  it('P2P-01: to make room, the least recently used link not in use goes first; if every link is in use, the least recently used of all', () => {
    const use = new LinkUse();
    const busy = new Set(['old']);
    use.add((peer) => busy.has(peer));
    const links = [
      { peer: 'old', lastUsedAt: 1 },
      { peer: 'mid', lastUsedAt: 5 },
      { peer: 'new', lastUsedAt: 9 },
    ];
    expect(use.evictable(links)?.peer).toBe('mid');
    busy.add('mid').add('new');
    expect(use.evictable(links)?.peer).toBe('old');
    expect(use.evictable([])).toBeNull();
  });
});

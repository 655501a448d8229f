/**
 * A deterministic random source in [0, 1) (mulberry32): varied like the real one, the same on
 * every run. Tests that check a jittered policy need values that differ, or the check passes
 * whatever the policy does.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

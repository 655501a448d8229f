import { describe, expect, it } from 'vitest';
import { SignalReplayGuard } from './signal-replay-guard';

const T0 = 1_767_225_600_000;

function guardAt(options: { maxEntries?: number; freshnessMs?: number } = {}) {
  let now = T0;
  const guard = new SignalReplayGuard({ clock: { now: () => now }, ...options });
  return { guard, advance: (ms: number) => void (now += ms), now: () => now };
}

describe('SignalReplayGuard (P2P-04)', () => {
  it('P2P-04: accepts a strictly increasing seq per (sender, link) and refuses repeats and going back', () => {
    const { guard } = guardAt();
    const m = (seq: number, sender = 'a', linkId = 'L') => guard.admit({ sender, linkId, seq, sentAtMs: T0 });
    expect(m(1)).toEqual({ ok: true });
    expect(m(1)).toEqual({ ok: false, code: 'REPLAYED' });
    expect(m(5)).toEqual({ ok: true });
    expect(m(4)).toEqual({ ok: false, code: 'REPLAYED' });
    expect(m(1, 'b')).toEqual({ ok: true });
    expect(m(1, 'a', 'M')).toEqual({ ok: true });
  });

  it('P2P-04: refuses messages outside the freshness window either way, without remembering them', () => {
    const { guard } = guardAt({ freshnessMs: 1000 });
    expect(guard.admit({ sender: 'a', linkId: 'L', seq: 1, sentAtMs: T0 - 1001 })).toEqual({ ok: false, code: 'STALE' });
    expect(guard.admit({ sender: 'a', linkId: 'L', seq: 1, sentAtMs: T0 + 1001 })).toEqual({ ok: false, code: 'STALE' });
    expect(guard.size).toBe(0);
    expect(guard.admit({ sender: 'a', linkId: 'L', seq: 1, sentAtMs: T0 + 1000 })).toEqual({ ok: true });
  });

  it('P2P-04: memory stays bounded; pairs that left the window are forgotten first', () => {
    const { guard, advance, now } = guardAt({ maxEntries: 10, freshnessMs: 1000 });
    for (let i = 0; i < 10; i++) guard.admit({ sender: `s${i}`, linkId: 'L', seq: 1, sentAtMs: now() });
    advance(2000);
    for (let i = 0; i < 5; i++) expect(guard.admit({ sender: `t${i}`, linkId: 'L', seq: 1, sentAtMs: now() }).ok).toBe(true);
    expect(guard.size).toBe(5);
    for (let i = 0; i < 1000; i++) guard.admit({ sender: `u${i}`, linkId: 'L', seq: 1, sentAtMs: now() });
    expect(guard.size).toBeLessThanOrEqual(10);
  });

  it('P2P-04: a pair evicted under pressure cannot be replayed: the floor refuses anything not newer', () => {
    const { guard, advance, now } = guardAt({ maxEntries: 2, freshnessMs: 60_000 });
    const victim = { sender: 'a', linkId: 'L', seq: 1, sentAtMs: now() };
    expect(guard.admit(victim).ok).toBe(true);
    advance(1);
    guard.admit({ sender: 'b', linkId: 'L', seq: 1, sentAtMs: now() });
    advance(1);
    guard.admit({ sender: 'c', linkId: 'L', seq: 1, sentAtMs: now() });
    // 'a' was evicted (least recently used) while still fresh: its message must stay refused.
    expect(guard.admit(victim)).toEqual({ ok: false, code: 'REPLAYED' });
    advance(1);
    expect(guard.admit({ sender: 'a', linkId: 'L', seq: 2, sentAtMs: now() })).toEqual({ ok: true });
  });
});

import { describe, expect, it } from 'vitest';
import { SignalReplayGuard } from './signal-replay-guard';

const T0 = 1_767_225_600_000;

function guardAt(options: { maxSenders?: number; maxLinksPerSender?: number; freshnessMs?: number } = {}) {
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
    const { guard, advance, now } = guardAt({ maxSenders: 10, freshnessMs: 1000 });
    for (let i = 0; i < 10; i++) guard.admit({ sender: `s${i}`, linkId: 'L', seq: 1, sentAtMs: now() });
    advance(2000);
    for (let i = 0; i < 5; i++) expect(guard.admit({ sender: `t${i}`, linkId: 'L', seq: 1, sentAtMs: now() }).ok).toBe(true);
    expect(guard.size).toBe(5);
    for (let i = 0; i < 1000; i++) guard.admit({ sender: `u${i}`, linkId: 'L', seq: 1, sentAtMs: now() });
    expect(guard.size).toBeLessThanOrEqual(10);
  });

  it('P2P-04: a pair evicted under pressure cannot be replayed: the floor refuses anything not newer', () => {
    const { guard, advance, now } = guardAt({ maxSenders: 2, freshnessMs: 60_000 });
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

  it('P2P-04: a link id evicted under pressure cannot be replayed by its sender either', () => {
    const { guard, advance, now } = guardAt({ maxLinksPerSender: 2, freshnessMs: 60_000 });
    const first = { sender: 'a', linkId: 'L1', seq: 1, sentAtMs: now() };
    expect(guard.admit(first).ok).toBe(true);
    advance(1);
    guard.admit({ sender: 'a', linkId: 'L2', seq: 1, sentAtMs: now() });
    advance(1);
    guard.admit({ sender: 'a', linkId: 'L3', seq: 1, sentAtMs: now() });
    expect(guard.admit(first)).toEqual({ ok: false, code: 'REPLAYED' });
  });

  it('P2P-04: one contact flooding random link ids dated in the future blocks nobody else (review finding)', () => {
    const { guard, advance, now } = guardAt({ freshnessMs: 120_000 });
    // An honest contact is half-way through a set-up.
    expect(guard.admit({ sender: 'honest', linkId: 'H', seq: 1, sentAtMs: now() }).ok).toBe(true);
    for (let i = 0; i < 20_000; i++) guard.admit({ sender: 'flooder', linkId: `r${i}`, seq: 1, sentAtMs: now() + 119_000 });
    advance(10);
    expect(guard.admit({ sender: 'honest', linkId: 'H', seq: 2, sentAtMs: now() })).toEqual({ ok: true });
    expect(guard.admit({ sender: 'newcomer', linkId: 'N', seq: 1, sentAtMs: now() })).toEqual({ ok: true });
    expect(guard.admit({ sender: 'honest', linkId: 'H2', seq: 1, sentAtMs: now() })).toEqual({ ok: true });
    // The flooder hurt only itself, and memory stayed bounded.
    expect(guard.admit({ sender: 'flooder', linkId: 'fresh', seq: 1, sentAtMs: now() })).toEqual({ ok: false, code: 'REPLAYED' });
    expect(guard.size).toBeLessThanOrEqual(64 + 4);
  });
});

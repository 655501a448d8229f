import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busyRetryDelay, DEFAULT_RECONNECT_POLICY, firstConnectDelay, isStableConnection, nextReconnectDelay } from './reconnect-policy';

describe('reconnect policy (INFR-05)', () => {
  it('INFR-05: every delay lies within 1 s .. 60 s for any attempt and random value', () => {
    fc.assert(
      fc.property(fc.nat(1_000), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = nextReconnectDelay({ attempt, fatal: false, random: () => r });
        expect(d).not.toBeNull();
        expect(d).toBeGreaterThanOrEqual(1_000);
        expect(d).toBeLessThanOrEqual(60_000);
      }),
    );
  });

  it('INFR-05: the window doubles per attempt until the 60 s cap', () => {
    const top = (attempt: number) => nextReconnectDelay({ attempt, fatal: false, random: () => 1 });
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(top)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(nextReconnectDelay({ attempt: 7, fatal: false, random: () => 0 })).toBe(1_000);
  });

  it('INFR-05: full jitter spreads delays across the window', () => {
    const delays = [0, 0.25, 0.5, 0.75].map((r) => nextReconnectDelay({ attempt: 3, fatal: false, random: () => r }));
    expect(delays).toEqual([1_000, 4_750, 8_500, 12_250]);
  });

  it('INFR-05: fatal closes stop the loop', () => {
    expect(nextReconnectDelay({ attempt: 0, fatal: true, random: () => 0.5 })).toBeNull();
  });

  it('tolerates a broken random source', () => {
    expect(nextReconnectDelay({ attempt: 2, fatal: false, random: () => Number.NaN })).toBe(1_000);
    expect(nextReconnectDelay({ attempt: 2, fatal: false, random: () => 7 })).toBe(8_000);
  });

  it('INFR-05: first-connect jitter is small and bounded', () => {
    expect(firstConnectDelay(() => 0)).toBe(0);
    expect(firstConnectDelay(() => 0.999_999)).toBeLessThanOrEqual(DEFAULT_RECONNECT_POLICY.firstConnectJitterMs);
  });

  it('INFR-05: a connection counts as stable after the configured time', () => {
    expect(isStableConnection(DEFAULT_RECONNECT_POLICY.stableAfterMs - 1)).toBe(false);
    expect(isStableConnection(DEFAULT_RECONNECT_POLICY.stableAfterMs)).toBe(true);
  });

  it('INFR-05: a busy server\'s delay is kept within the policy\'s 1-60 s', () => {
    expect(busyRetryDelay(7_250)).toBe(7_250);
    expect(busyRetryDelay(0)).toBe(1_000);
    expect(busyRetryDelay(10 * 60_000)).toBe(60_000);
    expect(busyRetryDelay(Number.NaN)).toBe(60_000);
    expect(busyRetryDelay(1_500.4)).toBe(1_500);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, systemClock } from '../src/index';
import { FakeClock } from './helpers/fake-clock';

interface ClockHarness {
  clock: Clock;
  /** Let `ms` of the clock's time pass. */
  pass(ms: number): void;
}

/**
 * One contract for the server's clock and the fake the tests use (CONVENTIONS 15). The real
 * clock runs under vitest's fake timers, so no test here waits in real time.
 */
function clockContract(name: string, make: () => ClockHarness): void {
  describe(`Clock contract: ${name}`, () => {
    it('fires timeouts in due order, with now() moved on by their delay', () => {
      const { clock, pass } = make();
      const start = clock.now();
      const fired: string[] = [];
      clock.setTimeout(() => fired.push(`late@${clock.now() - start}`), 50);
      clock.setTimeout(() => fired.push(`early@${clock.now() - start}`), 10);
      pass(9);
      expect(fired).toEqual([]);
      pass(41);
      expect(fired).toEqual(['early@10', 'late@50']);
    });

    it('clearTimeout cancels; intervals repeat until cleared', () => {
      const { clock, pass } = make();
      let timeouts = 0;
      let ticks = 0;
      const t = clock.setTimeout(() => timeouts++, 10);
      clock.clearTimeout(t);
      const i = clock.setInterval(() => ticks++, 10);
      pass(35);
      expect(ticks).toBe(3);
      clock.clearInterval(i);
      pass(100);
      expect(ticks).toBe(3);
      expect(timeouts).toBe(0);
    });
  });
}

afterEach(() => {
  vi.useRealTimers();
});

clockContract('systemClock', () => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
  return { clock: systemClock, pass: (ms) => vi.advanceTimersByTime(ms) };
});

clockContract('FakeClock', () => {
  const clock = new FakeClock();
  return { clock, pass: (ms) => clock.advance(ms) };
});

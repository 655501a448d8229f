import { type Clock, systemClock } from '../../src/signaling/clock';

/**
 * The system clock, counting the timers that are set and have neither fired nor been cleared.
 * "Nothing is pending" proves that nothing can happen later (no retry is scheduled) without
 * waiting to see whether it does.
 */
export function timerLedgerClock(): Clock & { readonly pendingTimers: number } {
  const pending = new Set<unknown>();
  return {
    now: () => systemClock.now(),
    monotonic: () => systemClock.monotonic(),
    setTimeout(fn, ms) {
      const handle: unknown = systemClock.setTimeout(() => {
        pending.delete(handle);
        fn();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      pending.delete(handle);
      systemClock.clearTimeout(handle);
    },
    get pendingTimers() {
      return pending.size;
    },
  };
}

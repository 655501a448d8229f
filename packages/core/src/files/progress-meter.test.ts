import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';

describe('progress meter (FILE-01)', () => {
  it('FILE-01: speed over the recent window and time left, throttled to one sample per interval, the last byte always reported', () => {
    let now = 1000;
    const meter = new ProgressMeter({ size: 10_000, now: () => now, intervalMs: 250, windowMs: 3000 });
    expect(meter.update(0)).toMatchObject({ bytes: 0, bytesPerSecond: 0, etaMs: null });
    now += 100;
    expect(meter.update(100)).toBeNull(); // within 250 ms of the last sample
    now += 150;
    expect(meter.update(1000)).toEqual({ bytes: 1000, size: 10_000, bytesPerSecond: 4000, etaMs: 2250 });
    now += 250;
    expect(meter.update(2000)).toMatchObject({ bytesPerSecond: 4000, etaMs: 2000 });
    // Old samples leave the window: a stall shows as a falling speed.
    now += 5000;
    expect(meter.update(2000)).toMatchObject({ bytesPerSecond: 0, etaMs: null });
    now += 10;
    expect(meter.update(10_000)).toMatchObject({ bytes: 10_000, etaMs: 0 });
  });

  it('FILE-02: a resumed transfer starts counting from its offset, not from zero', () => {
    let now = 0;
    const meter = new ProgressMeter({ size: 1000, now: () => now, intervalMs: 0, startBytes: 600 });
    now = 1000;
    expect(meter.update(700)).toEqual({ bytes: 700, size: 1000, bytesPerSecond: 100, etaMs: 3000 });
  });
});

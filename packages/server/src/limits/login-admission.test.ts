import { describe, expect, it } from 'vitest';
import { LoginAdmission, type LoginAdmissionOptions } from './login-admission';

function setup(options: Partial<LoginAdmissionOptions> = {}) {
  let now = 1_000_000;
  let random = 0;
  const admission = new LoginAdmission({
    maxPending: 4,
    initialRatePerSecond: 100,
    minRetryMs: 1_000,
    maxRetryMs: 60_000,
    maxQueueDelayMs: 0,
    now: () => now,
    random: () => random,
    ...options,
  });
  return {
    admission,
    advance: (ms: number) => (now += ms),
    setRandom: (r: number) => (random = r),
  };
}

describe('LoginAdmission (INFR-05)', () => {
  it('INFR-05: lets in up to maxPending logins at once; a settled one frees its place', () => {
    const { admission } = setup();
    for (let i = 0; i < 4; i++) expect(admission.admit()).toBeNull();
    expect(admission.pending).toBe(4);
    expect(admission.admit()).not.toBeNull();
    admission.settle(true);
    expect(admission.admit()).toBeNull();
    admission.settle(false);
    expect(admission.pending).toBe(3);
    expect(admission.admit()).toBeNull();
  });

  it('INFR-05: refused clients get appointments in order, spaced by the accept rate, within 1-60 s', () => {
    const { admission } = setup({ initialRatePerSecond: 90 }); // 90/s at 90 % fill: one per 12.35 ms
    for (let i = 0; i < 4; i++) admission.admit();
    const delays = Array.from({ length: 10 }, () => admission.admit() as number);
    expect(delays[0]).toBe(1_000);
    for (let i = 1; i < delays.length; i++) expect((delays[i] as number) - (delays[i - 1] as number)).toBeGreaterThanOrEqual(12);
    expect(delays[9]).toBe(Math.round(1_000 + (9 * 1000) / 81));
    // A crowd larger than 60 s of logins: never more than the cap, and those past the book's
    // end are spread over its second half instead of all meeting at 60 s.
    const overflow: number[] = [];
    for (let i = 0; i < 10_000; i++) overflow.push(admission.admit() as number);
    expect(Math.max(...overflow)).toBeLessThanOrEqual(60_000);
    expect(overflow.filter((d) => d === 60_000).length).toBeGreaterThan(1_000); // random() is 0 here
  });

  it('INFR-05: past the end of the book, delays spread over 30-60 s and the book does not grow', () => {
    const { admission, setRandom } = setup({ initialRatePerSecond: 10 }); // one slot per 111 ms: 60 s = 540 slots
    for (let i = 0; i < 4; i++) admission.admit();
    for (let i = 0; i < 540; i++) admission.admit();
    setRandom(0.5);
    expect(admission.admit()).toBe(45_000);
    setRandom(0.999);
    expect(admission.admit()).toBe(30_030);
    setRandom(0);
    expect(admission.admit()).toBe(60_000);
  });

  it('INFR-05: the spacing follows the rate measured while saturated, not while quiet', () => {
    const { admission, advance } = setup({ initialRatePerSecond: 10 });
    for (let i = 0; i < 4; i++) admission.admit();
    admission.admit(); // saturated: this window counts
    // 400 logins in 0.5 s = 800/s, each freeing a place that is taken again at once.
    for (let i = 0; i < 400; i++) {
      admission.settle(true);
      expect(admission.admit()).toBeNull();
    }
    advance(500);
    admission.admit(); // rolls the window: the rate is now measured, the refusal counting half a login
    expect(admission.ratePerSecond).toBeCloseTo(801, 0);
    // A quiet window (no refusal) with few logins leaves the rate alone.
    advance(600);
    admission.settle(true);
    advance(600);
    admission.settle(true);
    expect(admission.ratePerSecond).toBeCloseTo(801, 0);
  });

  it('INFR-05: in the first wave of a storm the refusals count as work: the estimate is the capacity, not the login rate while refusing', () => {
    const { admission, advance } = setup({ initialRatePerSecond: 2_000 });
    for (let i = 0; i < 4; i++) admission.admit();
    // 0.5 s of a herd: 2,000 refusals and 100 logins, (100 + 2,000 / 2) / 0.5 s = 2,200/s of work,
    // where counting the logins alone said 200/s.
    for (let i = 0; i < 2_000; i++) expect(admission.admit()).not.toBeNull();
    for (let i = 0; i < 100; i++) {
      admission.settle(true);
      expect(admission.admit()).toBeNull();
    }
    advance(500);
    admission.admit();
    expect(admission.ratePerSecond).toBeCloseTo(2_200, 0);
    // The 2,000 refused were booked at 2,000/s (90 % fill): the last within about 1 + 1.1 s.
    const booked = admission.admit() as number;
    expect(booked).toBeLessThan(1_000 + (2_002 * 1000) / 1_800);
    // The crowd returns by appointment: 600 logins and 50 refusals in 0.5 s, 1,250/s, smoothed.
    advance(1_000);
    for (let i = 0; i < 600; i++) {
      admission.settle(true);
      expect(admission.admit()).toBeNull();
    }
    for (let i = 0; i < 50; i++) admission.admit();
    advance(500);
    admission.admit();
    expect(admission.ratePerSecond).toBeCloseTo(1_725, 0);
  });

  it('INFR-05: a node with room while refused clients still wait raises its estimate, up to twice the highest rate known', () => {
    const { admission, advance } = setup({ initialRatePerSecond: 100 });
    for (let i = 0; i < 4; i++) admission.admit();
    for (let i = 0; i < 500; i++) admission.admit(); // booked up to ~6.5 s ahead
    for (let i = 0; i < 4; i++) admission.settle(true);
    const rates: number[] = [];
    for (let w = 0; w < 6; w++) {
      advance(500);
      admission.admit(); // rolls the window: the first had refusals, the next ones room to spare
      admission.settle(false);
      rates.push(Math.round(admission.ratePerSecond));
    }
    // The first window measured (4 logins + 500 refusals / 2) / 0.5 s = 508/s; then ×1.25 a
    // window, up to twice that.
    expect(rates).toEqual([508, 635, 794, 992, 1016, 1016]);
  });

  it('INFR-05: a fresh crowd is spread from the next free appointment on, jittered inside its slot', () => {
    const { admission, advance, setRandom } = setup({ initialRatePerSecond: 900 / 0.9 / 0.9 }); // spacing 1 ms / 0.9
    for (let i = 0; i < 4; i++) admission.admit();
    setRandom(0.5);
    const first = admission.admit() as number;
    expect(first).toBe(1_001);
    advance(5_000); // the book is in the past: start again one minimum delay ahead
    expect(admission.admit()).toBe(1_001);
  });

  it('INFR-05: a request that waited past maxQueueDelayMs inside the node is let in only while fewer than maxPending × maxQueueDelayMs / wait are pending, at least 64', () => {
    const { admission } = setup({ maxPending: 512, maxQueueDelayMs: 1_000, initialRatePerSecond: 1_000 });
    // Far behind (8 s and more): the floor of 64 still gets in.
    for (let i = 0; i < 64; i++) expect(admission.admit(60_000)).toBeNull();
    const refused = admission.admit(8_000);
    expect(refused).not.toBeNull();
    expect(refused as number).toBeGreaterThanOrEqual(1_000);
    expect(refused as number).toBeLessThanOrEqual(60_000);
    // Twice the limit: up to 256 at once.
    for (let i = 64; i < 256; i++) expect(admission.admit(2_000)).toBeNull();
    expect(admission.admit(2_000)).not.toBeNull();
    // Exactly at the limit is not behind; a request read at once gets one of the 512 places.
    expect(admission.admit(1_000)).toBeNull();
    expect(admission.admit(0)).toBeNull();
    expect(admission.pending).toBe(258);
    expect(admission.admit(1_001)).toBeNull(); // 511 × … / 1.001 s: 511 places
    // Once pending is back under the cap, a late request gets in again.
    for (let i = 0; i < 196; i++) admission.settle(true);
    expect(admission.pending).toBe(63);
    expect(admission.admit(60_000)).toBeNull();
    expect(admission.admit(60_000)).not.toBeNull();
  });

  it('INFR-05: maxQueueDelayMs 0 turns the queue-delay check off', () => {
    const { admission } = setup({ maxPending: 512, maxQueueDelayMs: 0 });
    for (let i = 0; i < 512; i++) expect(admission.admit(60_000)).toBeNull();
    expect(admission.admit(0)).not.toBeNull();
  });

  it('INFR-05: maxPending 0 turns admission off', () => {
    const { admission } = setup({ maxPending: 0, maxQueueDelayMs: 1_000 });
    for (let i = 0; i < 1_000; i++) expect(admission.admit(5_000)).toBeNull();
  });
});

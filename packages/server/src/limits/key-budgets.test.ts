import { describe, expect, it } from 'vitest';
import { KeyBudgets } from './key-budgets';

describe('KeyBudgets (CONT-06)', () => {
  it('CONT-06: one bucket per key: the burst is shared by everything the key does, and refills with time', () => {
    let now = 0;
    const budgets = new KeyBudgets({ perSecond: 5 / 60, burst: 5, now: () => now });
    for (let i = 0; i < 5; i++) expect(budgets.take('alice')).toBe(true);
    expect(budgets.take('alice')).toBe(false);
    expect(budgets.take('bob')).toBe(true);
    now += 12_000; // one token at 5/min
    expect(budgets.take('alice')).toBe(true);
    expect(budgets.take('alice')).toBe(false);
  });

  it('CONT-06: sweep forgets only buckets that are full again, so memory is bounded by recent senders', () => {
    let now = 0;
    const budgets = new KeyBudgets({ perSecond: 5 / 60, burst: 5, now: () => now });
    for (let i = 0; i < 5; i++) budgets.take('spent');
    budgets.take('one');
    now += 12_000;
    budgets.sweep();
    expect(budgets.size).toBe(1); // 'one' refilled; 'spent' has 1 of 5
    expect(budgets.take('spent')).toBe(true);
    expect(budgets.take('spent')).toBe(false);
    now += 60_000;
    budgets.sweep();
    expect(budgets.size).toBe(0);
  });
});

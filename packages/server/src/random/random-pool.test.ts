import { describe, expect, it } from 'vitest';
import { randomPool } from './random-pool';

describe('randomPool (INFR-04)', () => {
  it('INFR-04: hands every byte of the source out once, in order, refilling when a block runs out', () => {
    let counter = 0;
    const fills: number[] = [];
    const source = (buf: Uint8Array): void => {
      fills.push(buf.length);
      for (let i = 0; i < buf.length; i++) buf[i] = counter++ & 0xff;
    };
    const next = randomPool(8, source);
    expect([...next(3)]).toEqual([0, 1, 2]);
    expect([...next(5)]).toEqual([3, 4, 5, 6, 7]);
    // Does not fit in what is left: a new block, never a byte twice.
    expect([...next(2)]).toEqual([8, 9]);
    expect([...next(7)]).toEqual([16, 17, 18, 19, 20, 21, 22]);
    expect([...next(12)]).toEqual([24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35]);
    expect(fills).toEqual([8, 8, 8, 12]);
  });

  it('INFR-04: returns copies: changing one result changes no other', () => {
    const next = randomPool(64);
    const a = next(16);
    const b = next(16);
    const before = Buffer.from(b).toString('hex');
    a.fill(0);
    expect(Buffer.from(b).toString('hex')).toBe(before);
    expect(a.buffer).not.toBe(b.buffer);
  });
});

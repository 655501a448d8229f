import { describe, expect, it } from 'vitest';
import { RelayCandidateGate } from './engine/candidates';

/**
 * The relay-only gate for a contact's candidates (P2P-03, review finding 6): a relay candidate
 * is used only on an address of this side's own TURN allocations; ones that arrive before those
 * are known are held (at most 64) and released once learned; what is still held at the end of
 * the set-up is dropped and counted.
 */
const relay = (address: string, port: number) => ({ candidate: `candidate:1 1 UDP 16777215 ${address} ${port} typ relay raddr 0.0.0.0 rport 0`, mid: '0' });
const host = (address: string, port: number) => ({ candidate: `candidate:2 1 UDP 2130706431 ${address} ${port} typ host`, mid: '0' });

describe('RelayCandidateGate (P2P-03)', () => {
  it('P2P-03: relay candidates that arrive before our own are held, then released once our relay address is learned; others stay held', () => {
    const gate = new RelayCandidateGate();
    const honest = relay('198.51.100.7', 50_000);
    const liar = relay('203.0.113.9', 40_000);
    expect(gate.admit([honest, liar])).toEqual([]);
    expect(gate.dropped).toBe(0);
    expect(gate.learnLocal([host('10.0.0.2', 1234)])).toEqual([]); // no relay of ours yet
    expect(gate.learnLocal([relay('198.51.100.7', 61_000)])).toEqual([honest]);
    // Known now: the next one on our relay address passes at once; a host candidate never does.
    const later = relay('198.51.100.7', 50_002);
    expect(gate.admit([later, host('192.0.2.1', 9)])).toEqual([later]);
    expect(gate.dropped).toBe(1);
    gate.finish(); // the liar was still held
    expect(gate.dropped).toBe(2);
    expect(gate.learnLocal([relay('203.0.113.9', 1)])).toEqual([]); // nothing is held after finish
  });

  it('P2P-03: at most 64 candidates are held; the rest are dropped and counted', () => {
    const gate = new RelayCandidateGate();
    const many = Array.from({ length: 70 }, (_, i) => relay('198.51.100.7', 10_000 + i));
    expect(gate.admit(many)).toEqual([]);
    expect(gate.dropped).toBe(6);
    expect(gate.learnLocal([relay('198.51.100.7', 1)])).toEqual(many.slice(0, 64));
    gate.finish();
    expect(gate.dropped).toBe(6);
  });
});

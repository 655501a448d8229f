import { describe, expect, it } from 'vitest';
import { linkLabel, securityWarningText } from './link-display';

const key = 'ab'.repeat(32);

describe('link display (P2P-01, P2P-02, P2P-03)', () => {
  it('P2P-03: says whether the link is direct or relayed, with the round trip in ms', () => {
    expect(linkLabel({ publicKey: key, state: 'open', reason: null, path: 'direct', rttMs: 3 })).toBe('Direct · 3 ms');
    expect(linkLabel({ publicKey: key, state: 'open', reason: null, path: 'relayed', rttMs: 41 })).toBe('Relayed · 41 ms');
    expect(linkLabel({ publicKey: key, state: 'open', reason: null, path: 'direct', rttMs: null })).toBe('Direct');
    expect(linkLabel({ publicKey: key, state: 'open', reason: null, path: null, rttMs: null })).toBe('Connected');
  });

  it('P2P-01: "Connecting…" while setting up, nothing without a link', () => {
    expect(linkLabel({ publicKey: key, state: 'connecting', reason: null, path: null, rttMs: null })).toBe('Connecting…');
    expect(linkLabel({ publicKey: key, state: 'closed', reason: 'idle', path: null, rttMs: null })).toBeNull();
    expect(linkLabel(null)).toBeNull();
    expect(linkLabel(undefined)).toBeNull();
  });

  it('P2P-02: the warning names the contact', () => {
    expect(securityWarningText('Bob')).toBe('Someone may be interfering with the connection to Bob. The link was refused.');
  });
});

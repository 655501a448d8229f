import { describe, expect, it } from 'vitest';
import { buildIceConfiguration, DEFAULT_STUN_SERVERS } from './ice-config';

const turn = { urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1767225600:alice', credential: 'c2VjcmV0' };

describe('ICE configuration (INFR-02)', () => {
  it('INFR-02: uses the default STUN servers when nobody provides one', () => {
    const cfg = buildIceConfiguration({ user: [], server: [], relayOnly: false });
    expect(cfg.iceServers).toEqual(DEFAULT_STUN_SERVERS);
    expect(cfg.iceTransportPolicy).toBe('all');
  });

  it("INFR-02: merges the user's servers first, then the server's STUN and TURN credentials", () => {
    const cfg = buildIceConfiguration({
      user: [{ urls: 'stun:127.0.0.2:3478' }],
      server: [{ urls: ['stun:127.0.0.1:3478'] }, turn],
      relayOnly: false,
    });
    expect(cfg.iceServers).toEqual([{ urls: ['stun:127.0.0.2:3478'] }, { urls: ['stun:127.0.0.1:3478'] }, turn]);
  });

  it('INFR-02: TURN-only sources still get default STUN added', () => {
    const cfg = buildIceConfiguration({ user: [], server: [turn], relayOnly: false });
    expect(cfg.iceServers[0]).toEqual(turn);
    expect(cfg.iceServers.slice(1)).toEqual(DEFAULT_STUN_SERVERS);
  });

  it('P2P-03: relay-only drops every STUN URL and sets the relay policy', () => {
    const cfg = buildIceConfiguration({ user: [{ urls: 'stun:127.0.0.2:3478' }], server: [turn], relayOnly: true });
    expect(cfg.iceServers).toEqual([turn]);
    expect(cfg.iceTransportPolicy).toBe('relay');
  });

  it('ignores malformed entries and TURN without credentials; removes duplicates', () => {
    const cfg = buildIceConfiguration({
      user: [{ urls: 'http://evil' }, { urls: 'turn:127.0.0.1:3478' }, { urls: 'stun:127.0.0.1:3478' }],
      server: [{ urls: ['stun:127.0.0.1:3478'] }],
      relayOnly: false,
    });
    expect(cfg.iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IceConfiguration } from './ice-config';
import { IceManager } from './ice-manager';

const TURN = { urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' };
const USER_STUN = { urls: ['stun:127.0.0.1:3479'] };

function setup() {
  const user = { servers: [] as { urls: string[] }[], relayOnly: false };
  const ice = new IceManager({ user: { servers: () => user.servers, relayOnly: () => user.relayOnly } });
  const changes: IceConfiguration[] = [];
  const refreshes: number[] = [];
  ice.on('iceChanged', (e) => changes.push(e));
  ice.on('refreshDue', (e) => refreshes.push(e.expiresAtMs));
  return { ice, user, changes, refreshes };
}

describe('IceManager (INFR-02, P2P-03)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('INFR-02: merges the user’s servers before the server’s, and announces each real change once', () => {
    const { ice, user, changes } = setup();
    ice.handleServerIce([TURN], null);
    user.servers = [USER_STUN];
    ice.handleUserIceChanged();
    ice.handleUserIceChanged(); // nothing new: no event
    expect(changes).toHaveLength(2);
    expect(ice.configuration.iceServers.map((s) => s.urls[0])).toEqual(['stun:127.0.0.1:3479', 'turn:127.0.0.1:3478']);
  });

  it('P2P-03: relay-only keeps only TURN and sets the transport policy', () => {
    const { ice, user } = setup();
    ice.handleServerIce([TURN, { urls: ['stun:127.0.0.1:3478'] }], null);
    user.relayOnly = true;
    ice.handleUserIceChanged();
    expect(ice.configuration).toEqual({ iceServers: [TURN], iceTransportPolicy: 'relay' });
  });

  it('INFR-02: a refresh is due a minute before expiry; a disconnect or another server cancels it', async () => {
    const { ice, refreshes } = setup();
    const expiresAt = Date.now() + 3_600_000;
    ice.handleServerIce([TURN], expiresAt);
    await vi.advanceTimersByTimeAsync(3_540_000);
    expect(refreshes).toEqual([expiresAt]);

    ice.handleServerIce([TURN], Date.now() + 3_600_000);
    ice.handleDisconnected();
    expect(vi.getTimerCount()).toBe(0);
    ice.handleServerIce([TURN], Date.now() + 3_600_000);
    ice.handleServerChanged();
    expect(vi.getTimerCount()).toBe(0);
    // The old server's TURN entry no longer applies.
    expect(ice.configuration.iceServers.some((s) => s.urls.includes('turn:127.0.0.1:3478'))).toBe(false);
    expect(refreshes).toHaveLength(1);
  });
});

import { bytesToBase64url, bytesToHex, type ClientMessage, type OwnStatus } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import type { ContactPresence } from './presence-events';
import { PresenceManager, type PresenceContactsPort } from './presence-manager';

const keyA = new Uint8Array(32).fill(1);
const keyB = new Uint8Array(32).fill(2);
const stranger = new Uint8Array(32).fill(3);
const hexA = bytesToHex(keyA);
const hexB = bytesToHex(keyB);

function setup(initialStatus: OwnStatus = 'online') {
  const rows = new Map<string, { status: ContactPresence; lastSeenAt: number | null }>([
    [hexA, { status: 'unknown', lastSeenAt: null }],
    [hexB, { status: 'unknown', lastSeenAt: null }],
  ]);
  const contacts: PresenceContactsPort = {
    publicKeysHex: () => [...rows.keys()],
    presenceOf: (k) => rows.get(k)?.status ?? null,
    updatePresence: (k, status, lastSeenAt) => {
      const row = rows.get(k);
      if (row) rows.set(k, { status, lastSeenAt: lastSeenAt ?? row.lastSeenAt });
    },
    markAllUnknown: () => {
      for (const [k, row] of rows) rows.set(k, { ...row, status: 'unknown' });
    },
  };
  let stored = initialStatus;
  const sent: ClientMessage[] = [];
  let now = 1_000;
  const pm = new PresenceManager({
    contacts,
    ownStatus: { get: () => stored, set: (s) => (stored = s) },
    send: (m) => (sent.push(m), true),
    now: () => now,
  });
  return { pm, rows, sent, stored: () => stored, tick: (ms: number) => (now += ms) };
}

describe('PresenceManager (PRES-01..03)', () => {
  it('PRES-03: uploads the contact list when connected and when contacts change', () => {
    const { pm, sent } = setup();
    pm.handleContactsChanged();
    expect(sent).toEqual([]);
    pm.handleConnected();
    expect(sent).toEqual([{ type: 'contacts.set', contacts: [bytesToBase64url(keyA), bytesToBase64url(keyB)] }]);
    pm.handleContactsChanged();
    expect(sent).toHaveLength(2);
  });

  it('PRES-01: status is stored, announced when connected, and evented', () => {
    const { pm, sent, stored } = setup('away');
    const events: unknown[] = [];
    pm.on('statusChanged', (e) => events.push(e));
    pm.setStatus('busy');
    expect(stored()).toBe('busy');
    expect(sent).toEqual([]);
    pm.handleConnected();
    pm.setStatus('invisible');
    expect(sent.at(-1)).toEqual({ type: 'presence.set', status: 'invisible' });
    expect(events).toEqual([
      { status: 'busy', prev: 'away' },
      { status: 'invisible', prev: 'busy' },
    ]);
  });

  it('PRES-02: a snapshot sets listed contacts and marks everyone else offline', () => {
    const { pm, rows } = setup();
    const changes: unknown[] = [];
    pm.on('presenceChanged', (e) => changes.push(e));
    pm.handleConnected();
    pm.handleSnapshot({ type: 'presence.snapshot', contacts: [{ publicKey: bytesToBase64url(keyA), status: 'away' }] });
    expect(rows.get(hexA)).toEqual({ status: 'away', lastSeenAt: 1_000 });
    expect(rows.get(hexB)).toEqual({ status: 'offline', lastSeenAt: null });
    expect(changes).toHaveLength(2);
  });

  it('PRES-02: updates change status and last seen; strangers are ignored', () => {
    const { pm, rows, tick } = setup();
    pm.handleConnected();
    pm.handleUpdate({ type: 'presence.update', publicKey: bytesToBase64url(keyA), status: 'online' });
    tick(5_000);
    pm.handleUpdate({ type: 'presence.update', publicKey: bytesToBase64url(keyA), status: 'offline' });
    expect(rows.get(hexA)).toEqual({ status: 'offline', lastSeenAt: 6_000 });
    pm.handleUpdate({ type: 'presence.update', publicKey: bytesToBase64url(stranger), status: 'online' });
    expect(rows.size).toBe(2);
  });

  it('PRES-02: on disconnect every contact becomes unknown, never stale online', () => {
    const { pm, rows } = setup();
    const resets: unknown[] = [];
    pm.on('presenceReset', (e) => resets.push(e));
    pm.handleConnected();
    pm.handleSnapshot({ type: 'presence.snapshot', contacts: [{ publicKey: bytesToBase64url(keyA), status: 'online' }] });
    pm.handleDisconnected('SERVER_CLOSED');
    expect(rows.get(hexA)?.status).toBe('unknown');
    expect(rows.get(hexA)?.lastSeenAt).toBe(1_000);
    expect(resets).toEqual([{ reason: 'SERVER_CLOSED' }]);
    pm.handleDisconnected('again');
    expect(resets).toHaveLength(1);
  });
});

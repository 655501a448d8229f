import { bytesToBase64url, bytesToHex, type ClientMessage, type OwnStatus } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../signaling/clock';
import type { ContactPresence } from './presence-events';
import { PresenceManager, type PresenceContactsPort } from './presence-manager';

const keyA = new Uint8Array(32).fill(1);
const keyB = new Uint8Array(32).fill(2);
const stranger = new Uint8Array(32).fill(3);
const hexA = bytesToHex(keyA);
const hexB = bytesToHex(keyB);
const LIMITS = { presencePerSecond: 2, presenceBurst: 3 };

/** A hand-driven clock: timers fire only when the test advances time. */
function manualClock() {
  let now = 1_000;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 0;
  const clock: Clock = {
    now: () => now,
    monotonic: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { clock, advance, pending: () => timers.length };
}

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
      if (!row) throw new Error('updatePresence for a stranger');
      rows.set(k, { status, lastSeenAt: lastSeenAt ?? row.lastSeenAt });
    },
    markAllUnknown: () => {
      for (const [k, row] of rows) rows.set(k, { ...row, status: 'unknown' });
    },
    batch: (fn) => fn(),
  };
  let stored = initialStatus;
  const sent: ClientMessage[] = [];
  const time = manualClock();
  const pm = new PresenceManager({
    contacts,
    ownStatus: { get: () => stored, set: (s) => (stored = s) },
    clock: time.clock,
  });
  pm.on('outgoing', ({ message }) => sent.push(message));
  const connect = (loginStatus: OwnStatus = stored) => pm.handleConnected({ loginStatus, limits: LIMITS });
  return { pm, rows, sent, stored: () => stored, time, connect };
}

const statusesSent = (sent: ClientMessage[]) => sent.flatMap((m) => (m.type === 'presence.set' ? [m.status] : []));

describe('PresenceManager (PRES-01..03)', () => {
  it('PRES-03: uploads the contact list when connected and when contacts change', () => {
    const { pm, sent, connect } = setup();
    pm.handleContactsChanged();
    expect(sent).toEqual([]);
    connect();
    expect(sent).toEqual([{ type: 'contacts.set', contacts: [bytesToBase64url(keyA), bytesToBase64url(keyB)] }]);
    pm.handleContactsChanged();
    expect(sent).toHaveLength(2);
  });

  it('PRES-01: status is stored, announced when connected, and evented', () => {
    const { pm, sent, stored, connect } = setup('away');
    const events: unknown[] = [];
    pm.on('statusChanged', (e) => events.push(e));
    pm.setStatus('busy');
    expect(stored()).toBe('busy');
    expect(sent).toEqual([]);
    connect();
    pm.setStatus('invisible');
    expect(sent.at(-1)).toEqual({ type: 'presence.set', status: 'invisible' });
    expect(events).toEqual([
      { status: 'busy', prev: 'away' },
      { status: 'invisible', prev: 'busy' },
    ]);
  });

  it('PRES-03: a status chosen after the login proof left is sent once the session is up', () => {
    const { pm, sent } = setup('online');
    // The proof carried "online"; the user picked "invisible" before the welcome arrived.
    pm.setStatus('invisible');
    pm.handleConnected({ loginStatus: 'online', limits: LIMITS });
    expect(statusesSent(sent)).toEqual(['invisible']);
    // When nothing changed, no redundant presence.set is sent.
    const again = setup('away');
    again.connect('away');
    expect(statusesSent(again.sent)).toEqual([]);
  });

  it('PRES-01: a burst of changes stays within the server budget and the last choice wins', () => {
    const { pm, sent, time, connect } = setup();
    connect(); // uses 1 of 3 tokens (contacts.set)
    for (const s of ['away', 'busy', 'online', 'away', 'busy', 'invisible'] as const) pm.setStatus(s);
    expect(statusesSent(sent)).toEqual(['away', 'busy']); // budget spent
    time.advance(10_000);
    expect(statusesSent(sent)).toEqual(['away', 'busy', 'invisible']); // coalesced to the last
    expect(time.pending()).toBe(0);
  });

  it('PRES-01: a rate-limited presence.set is sent again later, with the latest status', () => {
    const { pm, sent, time, connect } = setup();
    connect();
    pm.setStatus('busy');
    pm.handleRateLimited('presence.set'); // the server dropped it
    pm.setStatus('invisible');
    const before = statusesSent(sent).length;
    time.advance(1_000);
    expect(statusesSent(sent).slice(before)).toEqual(['invisible']);
    pm.handleRateLimited('heartbeat.ping'); // not ours to repeat
    time.advance(10_000);
    expect(statusesSent(sent).slice(before)).toEqual(['invisible']);
  });

  it('PRES-02: a snapshot sets listed contacts and marks everyone else offline', () => {
    const { pm, rows, connect } = setup();
    const changes: unknown[] = [];
    pm.on('presenceChanged', (e) => changes.push(e));
    connect();
    pm.handleSnapshot({ type: 'presence.snapshot', contacts: [{ publicKey: bytesToBase64url(keyA), status: 'away' }] });
    expect(rows.get(hexA)).toEqual({ status: 'away', lastSeenAt: 1_000 });
    expect(rows.get(hexB)).toEqual({ status: 'offline', lastSeenAt: null });
    expect(changes).toHaveLength(2);
  });

  it('PRES-02: updates change status and last seen; strangers change nothing and emit nothing', () => {
    const { pm, rows, time, connect } = setup();
    const changes: unknown[] = [];
    connect();
    pm.handleUpdate({ type: 'presence.update', publicKey: bytesToBase64url(keyA), status: 'online' });
    time.advance(5_000);
    pm.handleUpdate({ type: 'presence.update', publicKey: bytesToBase64url(keyA), status: 'offline' });
    expect(rows.get(hexA)).toEqual({ status: 'offline', lastSeenAt: 6_000 });
    pm.on('presenceChanged', (e) => changes.push(e));
    pm.handleUpdate({ type: 'presence.update', publicKey: bytesToBase64url(stranger), status: 'online' });
    expect(changes).toEqual([]);
  });

  it('PRES-02: on disconnect every contact becomes unknown, last seen = now for those who were visible', () => {
    const { pm, rows, time, connect } = setup();
    const resets: unknown[] = [];
    pm.on('presenceReset', (e) => resets.push(e));
    connect();
    pm.handleSnapshot({ type: 'presence.snapshot', contacts: [{ publicKey: bytesToBase64url(keyA), status: 'online' }] });
    time.advance(60_000);
    pm.handleDisconnected('SERVER_CLOSED');
    expect(rows.get(hexA)).toEqual({ status: 'unknown', lastSeenAt: 61_000 });
    expect(rows.get(hexB)).toEqual({ status: 'unknown', lastSeenAt: null });
    expect(resets).toEqual([{ reason: 'SERVER_CLOSED' }]);
    pm.handleDisconnected('again');
    expect(resets).toHaveLength(1);
  });

  it('sends nothing and keeps no timer after a disconnect', () => {
    const { pm, sent, time, connect } = setup();
    connect();
    for (const s of ['away', 'busy', 'online', 'away'] as const) pm.setStatus(s);
    pm.handleDisconnected('SERVER_CLOSED');
    const count = sent.length;
    expect(time.pending()).toBe(0);
    time.advance(60_000);
    expect(sent).toHaveLength(count);
  });
});

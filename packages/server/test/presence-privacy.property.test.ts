import type { OwnStatus, PeerStatus } from '@discordopus/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { eventually, makeKey, TestClient, type TestKey } from './helpers/test-client';
import { startTestServer } from './helpers/test-server';

/**
 * PRES-03 as a property: for random contact graphs and random sequences of logins, logouts,
 * status changes and contact-list changes, on a real server over real sockets,
 *  - every presence message a client receives is about a contact that is mutual at that moment
 *    and not invisible, with that contact's true status — or an `offline` for one it had been
 *    shown before (so an offline says nothing new);
 *  - no frame ever carries "invisible", and no invisible user ever appears anywhere;
 *  - after each step, each client's view (snapshot + updates) is exactly what it may see.
 */

const USERS = 5;
const statuses: OwnStatus[] = ['online', 'away', 'busy', 'invisible'];

type Action =
  | { kind: 'login'; user: number; status: OwnStatus }
  | { kind: 'logout'; user: number }
  | { kind: 'status'; user: number; status: OwnStatus }
  | { kind: 'contacts'; user: number; contacts: number[] };

const user = fc.integer({ min: 0, max: USERS - 1 });
const status = fc.constantFrom(...statuses);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('login' as const), user, status }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('logout' as const), user }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), user, status }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('contacts' as const), user, contacts: fc.uniqueArray(user, { maxLength: USERS }) }),
  },
);

interface ModelUser {
  key: TestKey;
  client: TestClient | null;
  status: OwnStatus;
  contacts: Set<number>;
  /** The view the client has built from snapshots and updates. */
  view: Map<string, PeerStatus>;
  /** Messages of the client already checked. */
  checked: number;
}

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ presenceBurst: 100_000, framesBurst: 1_000_000 });
});
afterAll(() => server.close());

function truth(users: ModelUser[], subject: number, viewer: number): PeerStatus {
  const s = users[subject] as ModelUser;
  const v = users[viewer] as ModelUser;
  if (subject === viewer || !s.client || !v.client) return 'offline';
  if (s.status === 'invisible' || !s.contacts.has(viewer) || !v.contacts.has(subject)) return 'offline';
  return s.status;
}

/** Check every message each client got during the last step against the model, and fold it into its view. */
function checkNewMessages(users: ModelUser[]): void {
  const index = new Map(users.map((u, i) => [u.key.id, i]));
  users.forEach((u, viewer) => {
    const c = u.client;
    if (!c) return;
    for (const frame of c.rawFrames) expect(frame).not.toContain('invisible');
    expect(c.invalidFrames).toEqual([]);
    for (; u.checked < c.received.length; u.checked++) {
      const m = c.received[u.checked];
      if (m?.type === 'presence.snapshot') {
        u.view.clear();
        for (const entry of m.contacts) {
          const subject = index.get(entry.publicKey);
          expect(subject, 'snapshot names only known users').toBeDefined();
          expect(entry.status).toBe(truth(users, subject as number, viewer));
          u.view.set(entry.publicKey, entry.status);
        }
      } else if (m?.type === 'presence.update') {
        const subject = index.get(m.publicKey);
        expect(subject).toBeDefined();
        if (m.status === 'offline') {
          // An offline is only ever news to someone who had been shown the user.
          expect(u.view.has(m.publicKey)).toBe(true);
          expect(truth(users, subject as number, viewer)).toBe('offline');
          u.view.delete(m.publicKey);
        } else {
          expect(m.status).toBe(truth(users, subject as number, viewer));
          u.view.set(m.publicKey, m.status);
        }
      }
    }
    // The view is exactly what this client may see.
    const expected = new Map<string, PeerStatus>();
    users.forEach((s, subject) => {
      const t = truth(users, subject, viewer);
      if (t !== 'offline') expected.set(s.key.id, t);
    });
    expect(Object.fromEntries(u.view)).toEqual(Object.fromEntries(expected));
  });
}

async function quiesce(users: ModelUser[]): Promise<void> {
  const online = users.filter((u) => u.client).length;
  await eventually(() => server.connectionCount() === online, 'closed sockets to be processed');
  for (const u of users) await u.client?.sync();
}

async function run(actions: Action[]): Promise<void> {
  const users: ModelUser[] = Array.from({ length: USERS }, () => ({
    key: makeKey(),
    client: null,
    status: 'online',
    contacts: new Set(),
    view: new Map(),
    checked: 0,
  }));
  try {
    for (const action of actions) {
      const u = users[action.user] as ModelUser;
      switch (action.kind) {
        case 'login':
          if (u.client) break;
          u.client = await TestClient.login(server.url, u.key, action.status);
          u.status = action.status;
          u.contacts = new Set();
          u.view = new Map();
          u.checked = 0;
          break;
        case 'logout':
          if (!u.client) break;
          await u.client.close();
          u.client = null;
          break;
        case 'status':
          if (!u.client) break;
          u.client.send({ type: 'presence.set', status: action.status });
          u.status = action.status;
          break;
        case 'contacts':
          if (!u.client) break;
          u.client.send({ type: 'contacts.set', contacts: action.contacts.map((i) => (users[i] as ModelUser).key.id) });
          u.contacts = new Set(action.contacts.filter((i) => i !== action.user));
          break;
      }
      await quiesce(users);
      checkNewMessages(users);
    }
  } finally {
    await Promise.all(users.map((u) => u.client?.close()));
    await eventually(() => server.connectionCount() === 0, 'all sockets closed');
  }
}

describe('presence privacy (PRES-03), property over random contact graphs', () => {
  it('updates only about mutual contacts, never invisible, and views equal the truth', async () => {
    await fc.assert(fc.asyncProperty(fc.array(actionArb, { minLength: 5, maxLength: 30 }), run), { numRuns: 40 });
  }, 120_000);

  it('a hand-picked case: invisible → online → invisible between mutual contacts', async () => {
    await run([
      { kind: 'login', user: 0, status: 'invisible' },
      { kind: 'login', user: 1, status: 'online' },
      { kind: 'contacts', user: 0, contacts: [1] },
      { kind: 'contacts', user: 1, contacts: [0] },
      { kind: 'status', user: 0, status: 'busy' },
      { kind: 'status', user: 0, status: 'invisible' },
      { kind: 'logout', user: 0 },
      { kind: 'login', user: 0, status: 'away' },
      { kind: 'contacts', user: 0, contacts: [1, 2] },
      { kind: 'contacts', user: 1, contacts: [] },
    ]);
  });
});

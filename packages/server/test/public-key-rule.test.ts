import { bytesToBase64url, CLOSE_CODES, hexToBytes, SMALL_ORDER_KEYS, smallOrderAliases } from '@discordopus/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { makeKey, TestClient } from './helpers/test-client';

/** Every key a lenient decoder reads as a small-order point: the eight points and their aliases. */
const BAD_KEYS = [...SMALL_ORDER_KEYS, ...smallOrderAliases()].map((hex) => bytesToBase64url(hexToBytes(hex)));
/** The signature that "verifies" for a small-order key without any private key: R = identity, S = 0. */
const TRIVIAL_SIGNATURE = bytesToBase64url(Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0)));

let server: ServerProcess;

beforeAll(async () => {
  // Budgets wide enough that each bad key gets its own frame without tripping the limits.
  server = await startServerProcess(['--malformed-burst', '1000', '--presence-burst', '1000', '--relay-burst', '1000', '--contact-request-burst', '1000'], {
    DISCORDOPUS_LOG_LEVEL: 'silent',
  });
});
afterAll(async () => {
  await server.kill('SIGTERM');
});

describe('the public-key rule at the server (INFR-04, PROTOCOL.md §1)', () => {
  it('INFR-04: no small-order key nor alias, nor a key off the curve, logs in with the trivial signature: 4401, through a real server process', async () => {
    expect(BAD_KEYS).toHaveLength(14);
    for (const publicKey of BAD_KEYS) {
      const client = await TestClient.connect(server.url);
      client.send({ type: 'auth.proof', protocolVersion: 1, publicKey, timestampMs: Date.now(), signature: TRIVIAL_SIGNATURE });
      // Whichever comes first: a welcome (the hole) or the close (the rule).
      const outcome = await Promise.race([client.closed, client.next('auth.welcome').then(() => 'welcomed', () => 'closed')]);
      expect(outcome, publicKey).toEqual({ code: CLOSE_CODES.AUTH_FAILED, reason: '' });
      expect(client.all('auth.welcome'), publicKey).toEqual([]);
      await client.close();
    }
    // Keys off the curve (y = 2, 7, 8) pass the login's cheap key rule; the signature check
    // refuses them all the same (4401).
    for (const y of [2, 7, 8]) {
      const publicKey = bytesToBase64url(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? y : 0)));
      const client = await TestClient.connect(server.url);
      client.send({ type: 'auth.proof', protocolVersion: 1, publicKey, timestampMs: Date.now(), signature: TRIVIAL_SIGNATURE });
      expect(await client.closed, `y = ${y}`).toEqual({ code: CLOSE_CODES.AUTH_FAILED, reason: '' });
      expect(client.all('auth.welcome')).toEqual([]);
    }
    // A real key still logs in on the same server.
    const good = await TestClient.login(server.url);
    await good.close();
  });

  it('INFR-04: a contacts.set naming a small-order key is refused as malformed and changes nothing', async () => {
    const client = await TestClient.login(server.url);
    const friend = await TestClient.login(server.url);
    await friend.setContacts([client.key]);
    expect((await client.setContacts([friend.key])).contacts.map((c) => c.publicKey)).toEqual([friend.key.id]);
    for (const bad of BAD_KEYS) {
      client.send({ type: 'contacts.set', contacts: [makeKey().id, bad] });
      expect(await client.next('session.error'), bad).toEqual({ type: 'session.error', code: 'BAD_MESSAGE', about: 'contacts.set' });
    }
    await client.sync();
    expect(client.all('presence.snapshot')).toHaveLength(1);
    // The list from before is still in force: the friend is still visible, and relay still works.
    client.send({ type: 'signal.send', id: 'still-mutual', to: friend.key.id, payload: 'x' });
    expect((await friend.next('signal.relay')).from).toBe(client.key.id);
    await client.close();
    await friend.close();
  });

  it('INFR-04: a small-order key as a relay or contact-request target is refused as malformed', async () => {
    const client = await TestClient.login(server.url);
    for (const bad of BAD_KEYS) {
      client.send({ type: 'signal.send', id: 's-1', to: bad, payload: 'x' });
      expect(await client.next('session.error'), bad).toEqual({ type: 'session.error', code: 'BAD_MESSAGE', about: 'signal.send' });
      client.send({ type: 'contact.request.send', id: 'r-1', to: bad, payload: 'x' });
      expect(await client.next('session.error'), bad).toEqual({ type: 'session.error', code: 'BAD_MESSAGE', about: 'contact.request.send' });
    }
    await client.sync();
    expect(client.all('signal.error')).toEqual([]);
    // A real stranger as target is not malformed: the relay answers NOT_MUTUAL.
    client.send({ type: 'signal.send', id: 's-2', to: makeKey().id, payload: 'x' });
    expect(await client.next('signal.error')).toEqual({ type: 'signal.error', id: 's-2', code: 'NOT_MUTUAL' });
    await client.close();
  });
});

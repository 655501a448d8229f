import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, turnCredential } from '../src/index';
import { CoturnProcess } from './helpers/coturn-process';
import { makeKey, TestClient } from './helpers/test-client';
import { startTestServer } from './helpers/test-server';
import { allocate } from './helpers/turn-client';

const SECRET = 'turn-shared-secret-for-tests';
let coturn: CoturnProcess;

beforeAll(async () => {
  coturn = await CoturnProcess.start(SECRET);
});
afterAll(async () => {
  await coturn?.stop();
});

async function welcomeTurn(nowMs: () => number, secret = SECRET): Promise<{ username: string; credential: string; expiresAt: number | null; url: string }> {
  const server = await startTestServer(
    { stunUrls: [`stun:127.0.0.1:${coturn.port}`], turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`], turnSecret: secret, turnCredentialTtlSeconds: 600 },
    { clock: { ...systemClock, now: nowMs } },
  );
  try {
    const client = await TestClient.connect(server.url, makeKey());
    client.send(client.proof({ timestampMs: nowMs() }));
    const welcome = await client.next('auth.welcome');
    await client.close();
    const turn = welcome.iceServers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
    if (!turn?.username || !turn.credential) throw new Error('no TURN server in the welcome');
    return { username: turn.username, credential: turn.credential, expiresAt: welcome.iceExpiresAtMs, url: turn.urls[0] as string };
  } finally {
    await server.close();
  }
}

describe('TURN credentials against a real coturn (INFR-02)', () => {
  it('fresh credentials from the welcome get an allocation', async () => {
    const cred = await welcomeTurn(Date.now);
    expect(cred.username).toMatch(/^\d+:/);
    expect(cred.expiresAt).toBe(Number(cred.username.split(':')[0]) * 1000);
    const result = await allocate('127.0.0.1', coturn.port, cred.username, cred.credential);
    expect(result).toMatchObject({ ok: true, relayedAddress: { address: '127.0.0.1' } });
  });

  it('expired credentials are refused (401)', async () => {
    // A server clock two hours behind, TTL 10 minutes: the credentials expired long ago.
    const cred = await welcomeTurn(() => Date.now() - 2 * 3600_000);
    expect(cred.expiresAt).toBeLessThan(Date.now());
    expect(await allocate('127.0.0.1', coturn.port, cred.username, cred.credential)).toMatchObject({ ok: false, errorCode: 401 });
  });

  it('credentials made with another secret are refused (401)', async () => {
    const cred = await welcomeTurn(Date.now, 'not-the-shared-secret');
    expect(await allocate('127.0.0.1', coturn.port, cred.username, cred.credential)).toMatchObject({ ok: false, errorCode: 401 });
  });

  it('the REST form: username = expiry:user, password = base64(HMAC-SHA1(secret, username))', () => {
    const c = turnCredential('secret', 'session-1', 3600, Date.UTC(2026, 0, 1));
    expect(c.username).toBe(`${Date.UTC(2026, 0, 1) / 1000 + 3600}:session-1`);
    expect(c.credential).toBe('voRk0pWhMzUULpZmwSANvzdYAPs=');
    expect(c.expiresAtMs).toBe(Date.UTC(2026, 0, 1) + 3600_000);
  });
});

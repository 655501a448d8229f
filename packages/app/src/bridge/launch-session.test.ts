import { DiscordOpusError } from '@discordopus/protocol';
import { BRIDGE_SESSION_ERROR_MESSAGES } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { type LaunchParams, SESSION_STORAGE_KEY } from './launch-params';
import { type FetchLike, obtainBridgeSecret } from './launch-session';

const CODE = 'ab'.repeat(32);
const SECRET = 'cd'.repeat(32);
const params: LaunchParams = { bridgeUrl: 'ws://127.0.0.1:4321/bridge', sessionUrl: 'http://127.0.0.1:4321/bridge/session', secret: null, code: CODE };

function storage() {
  const map = new Map<string, string>();
  return { map, sessionStorage: { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) } };
}

function answering(status: number, body: unknown): { fetch: FetchLike; requests: { url: string; body: string; headers: Record<string, string> }[] } {
  const requests: { url: string; body: string; headers: Record<string, string> }[] = [];
  return {
    requests,
    fetch: async (url, init) => {
      requests.push({ url, body: init.body, headers: init.headers });
      return { status, json: async () => body };
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.catch((e: unknown) => e);
  return error instanceof DiscordOpusError ? error.code : null;
}

describe('launch code exchange in the window (security model: local bridge)', () => {
  it('exchanges the code once as JSON and keeps the secret for reloads of this window', async () => {
    const s = storage();
    const server = answering(200, { secret: SECRET });
    expect(await obtainBridgeSecret(params, s, server.fetch)).toBe(SECRET);
    expect(server.requests).toEqual([{ url: params.sessionUrl, body: JSON.stringify({ code: CODE }), headers: { 'Content-Type': 'application/json' } }]);
    expect(s.map.get(SESSION_STORAGE_KEY)).toBe(SECRET);
  });

  it('uses a secret it already holds without asking again', async () => {
    const server = answering(500, {});
    expect(await obtainBridgeSecret({ ...params, secret: SECRET }, storage(), server.fetch)).toBe(SECRET);
    expect(server.requests).toEqual([]);
  });

  it('shows the bridge refusal (a used code) with its code and sentence', async () => {
    const server = answering(410, { code: 'BRIDGE_CODE_USED', message: BRIDGE_SESSION_ERROR_MESSAGES.BRIDGE_CODE_USED });
    const error = await obtainBridgeSecret(params, storage(), server.fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordOpusError);
    expect(error).toMatchObject({ code: 'BRIDGE_CODE_USED', message: BRIDGE_SESSION_ERROR_MESSAGES.BRIDGE_CODE_USED });
  });

  it('turns a malformed answer or no answer into a clear error, never a crash', async () => {
    expect(await codeOf(obtainBridgeSecret(params, storage(), answering(200, { secret: 'short' }).fetch))).toBe('BRIDGE_BAD_RESULT');
    expect(await codeOf(obtainBridgeSecret(params, storage(), answering(403, 'nope').fetch))).toBe('BRIDGE_BAD_RESULT');
    expect(await codeOf(obtainBridgeSecret(params, storage(), () => Promise.reject(new TypeError('Failed to fetch'))))).toBe('BRIDGE_CLOSED');
  });
});

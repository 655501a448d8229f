import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DiscordOpusError, encodeUserId } from '@discordopus/protocol';
import { BRIDGE_METHODS, BRIDGE_SESSION_ERROR_MESSAGES, BRIDGE_SESSION_PATH, type BridgeHandlers } from '@discordopus/protocol/bridge';
import { BRIDGE_CLOSE_BAD_FRAMES, type BridgeServer, startBridgeServer } from './bridge-server';
import { BRIDGE_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from './bridge-token';

const ORIGINAL_CODE_TTL_MS = 60_000;
const userId = encodeUserId(new Uint8Array(32).fill(3));

function handlers(): BridgeHandlers {
  const all = Object.fromEntries(BRIDGE_METHODS.map((m) => [m, () => Promise.reject(new Error(`${m} not stubbed`))])) as unknown as BridgeHandlers;
  const stubs: Partial<BridgeHandlers> = {
    'session.state': async () => ({ state: 'locked', profileName: 'alice' }),
    'identity.get': async () => ({ userId, displayName: 'Alice' }),
    'profile.unlock': async () => {
      throw new DiscordOpusError('VAULT_WRONG_PASSPHRASE', 'The passphrase is wrong.');
    },
    'contacts.list': async () => {
      throw new RangeError('database exploded at /home/alice/.profiles');
    },
  };
  return { ...all, ...stubs };
}

interface ExchangeOptions {
  origin?: string | null;
  contentType?: string;
  body?: string;
}

/** POST a launch code to the bridge the way the app does, with parts changed. */
async function exchange(server: BridgeServer, code: string, { origin = server.origin, contentType = 'application/json', body }: ExchangeOptions = {}) {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (origin !== null) headers.Origin = origin;
  const response = await fetch(`${server.origin}${BRIDGE_SESSION_PATH}`, { method: 'POST', headers, body: body ?? JSON.stringify({ code }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The code in a page address from issueAppUrl. */
function codeOf(appUrl: string): string {
  const match = /^http:\/\/127\.0\.0\.1:\d+\/#code=([0-9a-f]{64})$/.exec(appUrl);
  if (match === null) throw new Error(`unexpected app URL ${appUrl}`);
  return match[1] as string;
}

/** A session secret, bought with a fresh launch code. */
async function newSecret(server: BridgeServer): Promise<string> {
  const { status, body } = await exchange(server, codeOf(server.issueAppUrl()));
  if (status !== 200) throw new Error(`exchange refused: ${JSON.stringify(body)}`);
  return body.secret as string;
}

interface ConnectOptions {
  origin?: string | null;
  token?: string | null;
  host?: string;
}

/** Open a socket the way the app does, with parts changed; rejects with the HTTP status when refused. */
async function connect(server: BridgeServer, options: ConnectOptions = {}): Promise<WebSocket> {
  const { origin = server.origin, host } = options;
  const token = options.token === undefined ? await newSecret(server) : options.token;
  const protocols = [BRIDGE_SUBPROTOCOL, ...(token === null ? [] : [`${TOKEN_SUBPROTOCOL_PREFIX}${token}`])];
  const headers: Record<string, string> = {};
  if (host !== undefined) headers.Host = host;
  const ws = new WebSocket(server.bridgeUrl, protocols, { ...(origin === null ? {} : { origin }), headers });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused with HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** fetch() normalises `..` away; a plain http request sends the path as written. */
function statusOfRawPath(server: BridgeServer, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

/** fetch() cannot set Host; a plain http request can. */
function statusWithHost(server: BridgeServer, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data: WebSocket.RawData) => resolve(JSON.parse(String(data)) as Record<string, unknown>)));
}

async function call(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  const reply = nextFrame(ws);
  ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return reply;
}

describe('bridge server: who may connect (security model: local bridge)', () => {
  let server: BridgeServer;
  let appDir: string;
  const open: WebSocket[] = [];
  let refusals: unknown[] = [];
  let now = 0;

  beforeEach(async () => {
    appDir = await mkdtemp(join(tmpdir(), 'dopus-app-'));
    await writeFile(join(appDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    await writeFile(join(appDir, '.secret'), 'hidden');
    await mkdir(join(appDir, 'assets'));
    await writeFile(join(appDir, 'assets', 'app.js'), 'console.log(1);');
    await writeFile(`${appDir}-outside.txt`, 'outside the app');
    refusals = [];
    const logger = { info: () => {}, debug: () => {}, warn: (_m: string, context?: Record<string, unknown>) => refusals.push(context?.reason) };
    now = 1_000_000;
    server = await startBridgeServer({ handlers: handlers(), appDir, port: 0, logger, now: () => now, launchCodeTtlMs: ORIGINAL_CODE_TTL_MS });
  });

  afterEach(async () => {
    for (const ws of open.splice(0)) ws.terminate();
    await server.close();
    await rm(appDir, { recursive: true, force: true });
    await rm(`${appDir}-outside.txt`, { force: true });
  });

  async function connected(options?: ConnectOptions): Promise<WebSocket> {
    const ws = await connect(server, options);
    open.push(ws);
    return ws;
  }

  it('UI-01: the app exchanges its one-time code for a secret, connects with it and calls the core', async () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    const ws = await connected();
    expect(ws.protocol).toBe(BRIDGE_SUBPROTOCOL);
    expect(await call(ws, { kind: 'call', id: 1, method: 'session.state', params: {} })).toEqual({
      kind: 'result', id: 1, ok: true, value: { state: 'locked', profileName: 'alice' },
    });
  });

  it('refuses a page from a foreign origin', async () => {
    await expect(connect(server, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(server, { origin: `http://localhost:${server.port}` })).rejects.toThrow(/403/);
    await expect(connect(server, { origin: null })).rejects.toThrow(/403/);
    expect(refusals).toEqual(['bad-origin', 'bad-origin', 'bad-origin']);
  });

  it('refuses a WebSocket without a session secret, with a wrong one, or with the launch code itself', async () => {
    const secret = await newSecret(server);
    const unspentCode = codeOf(server.issueAppUrl());
    await expect(connect(server, { token: null })).rejects.toThrow(/403/);
    await expect(connect(server, { token: 'b2'.repeat(32) })).rejects.toThrow(/403/);
    await expect(connect(server, { token: secret.slice(0, -1) })).rejects.toThrow(/403/);
    await expect(connect(server, { token: unspentCode })).rejects.toThrow(/403/);
    expect(refusals).toEqual(['bad-token', 'bad-token', 'bad-token', 'bad-token']);
    const ws = await connected({ token: secret });
    expect(ws.protocol).toBe(BRIDGE_SUBPROTOCOL);
  });

  it('a launch code works once: the second use is refused with a clear error', async () => {
    const code = codeOf(server.issueAppUrl());
    const first = await exchange(server, code);
    expect(first.status).toBe(200);
    expect(first.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.body.secret).not.toBe(code);
    expect(await exchange(server, code)).toEqual({
      status: 410,
      body: { code: 'BRIDGE_CODE_USED', message: BRIDGE_SESSION_ERROR_MESSAGES.BRIDGE_CODE_USED },
    });
    expect(await exchange(server, 'e5'.repeat(32))).toMatchObject({ status: 403, body: { code: 'BRIDGE_CODE_UNKNOWN' } });
    expect(refusals).toEqual(['BRIDGE_CODE_USED', 'BRIDGE_CODE_UNKNOWN']);
    // The secret it bought still opens the bridge (a reload of the same window).
    await connected({ token: first.body.secret as string });
  });

  it('a launch code expires (injected clock), and a later code from issueAppUrl may live longer', async () => {
    const code = codeOf(server.issueAppUrl());
    const longer = codeOf(server.issueAppUrl(10 * ORIGINAL_CODE_TTL_MS));
    now += ORIGINAL_CODE_TTL_MS - 1;
    const stillValid = codeOf(server.issueAppUrl());
    now += 1;
    expect(await exchange(server, code)).toEqual({
      status: 410,
      body: { code: 'BRIDGE_CODE_EXPIRED', message: BRIDGE_SESSION_ERROR_MESSAGES.BRIDGE_CODE_EXPIRED },
    });
    // Spent by the failed attempt too: it never works later.
    expect(await exchange(server, code)).toMatchObject({ status: 410, body: { code: 'BRIDGE_CODE_USED' } });
    expect((await exchange(server, stillValid)).status).toBe(200);
    expect((await exchange(server, longer)).status).toBe(200);
  });

  it('refuses the code exchange from a foreign origin, without JSON, or with a malformed body, and does not spend the code', async () => {
    const code = codeOf(server.issueAppUrl());
    expect(await exchange(server, code, { origin: 'http://evil.example' })).toMatchObject({ status: 403, body: { code: 'BRIDGE_BAD_ORIGIN' } });
    expect(await exchange(server, code, { origin: `http://localhost:${server.port}` })).toMatchObject({ status: 403, body: { code: 'BRIDGE_BAD_ORIGIN' } });
    expect(await exchange(server, code, { origin: null })).toMatchObject({ status: 403, body: { code: 'BRIDGE_BAD_ORIGIN' } });
    expect(await exchange(server, code, { contentType: 'text/plain' })).toMatchObject({ status: 400, body: { code: 'BRIDGE_BAD_REQUEST' } });
    expect(await exchange(server, code, { body: '{not json' })).toMatchObject({ status: 400, body: { code: 'BRIDGE_BAD_REQUEST' } });
    expect(await exchange(server, code, { body: JSON.stringify({ code, extra: 1 }) })).toMatchObject({ status: 400 });
    expect(await exchange(server, code, { body: JSON.stringify({ code: code + ' '.repeat(2000) }) })).toMatchObject({ status: 400 });
    expect((await fetch(`${server.origin}${BRIDGE_SESSION_PATH}`, { headers: { Origin: server.origin } })).status).toBe(400);
    expect((await exchange(server, code)).status).toBe(200);
  });

  it('refuses a wrong Host header (DNS rebinding)', async () => {
    await expect(connect(server, { host: `evil.example:${server.port}` })).rejects.toThrow(/403/);
    await expect(connect(server, { host: `localhost:${server.port}` })).rejects.toThrow(/403/);
    expect(refusals).toEqual(['bad-host', 'bad-host']);
    expect(await statusWithHost(server, 'evil.example')).toBe(421);
    expect(await statusWithHost(server, `127.0.0.1:${server.port}`)).toBe(200);
  });

  it('answers malformed frames with an error result and keeps serving', async () => {
    const ws = await connected();
    expect(await call(ws, 'not json')).toMatchObject({ kind: 'result', id: null, ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(await call(ws, { kind: 'call', id: 2, method: 'contacts.remove', params: { publicKey: 'zz' } })).toMatchObject({
      id: 2, ok: false, error: { code: 'BRIDGE_BAD_PARAMS' },
    });
    expect(await call(ws, { kind: 'call', id: 3, method: 'shell.exec', params: {} })).toMatchObject({ id: 3, ok: false, error: { code: 'BRIDGE_UNKNOWN_METHOD' } });
    const binaryReply = nextFrame(ws);
    ws.send(Buffer.from([1, 2, 3]));
    expect(await binaryReply).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(await call(ws, { kind: 'call', id: 4, method: 'identity.get', params: {} })).toEqual({
      kind: 'result', id: 4, ok: true, value: { userId, displayName: 'Alice' },
    });
  });

  it('VAULT-02: keeps the code of a DiscordOpusError and answers anything else as INTERNAL without details', async () => {
    const ws = await connected();
    expect(await call(ws, { kind: 'call', id: 1, method: 'profile.unlock', params: { passphrase: 'nope' } })).toEqual({
      kind: 'result', id: 1, ok: false, error: { code: 'VAULT_WRONG_PASSPHRASE', message: 'The passphrase is wrong.' },
    });
    const internal = await call(ws, { kind: 'call', id: 2, method: 'contacts.list', params: {} });
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('/home/alice');
  });

  it('PRES-02: broadcasts events to every connected window', async () => {
    const [a, b] = [await connected(), await connected()];
    const frames = [nextFrame(a as WebSocket), nextFrame(b as WebSocket)];
    server.emit('status.changed', { status: 'busy' });
    for (const frame of await Promise.all(frames)) expect(frame).toEqual({ kind: 'event', event: 'status.changed', payload: { status: 'busy' } });
    expect(server.connectionCount).toBe(2);
  });

  it('drops (and logs) an event that breaks the contract instead of throwing into the core', async () => {
    const ws = await connected();
    const received: unknown[] = [];
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
    expect(server.emit('status.changed', { status: 'dancing' as 'online' })).toBe(false);
    expect(server.emit('status.changed', { status: 'away' })).toBe(true);
    await new Promise((resolve) => ws.once('message', resolve));
    expect(received).toEqual([{ kind: 'event', event: 'status.changed', payload: { status: 'away' } }]);
  });

  it('tells the launcher when the last window goes away', async () => {
    const counts: number[] = [];
    server.onConnectionCountChanged((count) => counts.push(count));
    const ws = await connect(server);
    const gone = new Promise<void>((resolve) => server.onConnectionCountChanged((count) => count === 0 && resolve()));
    ws.close();
    await gone;
    expect(counts).toEqual([1, 0]);
  });

  it('serves the app files with their types and the same headers', async () => {
    const script = await fetch(`${server.origin}/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(script.headers.get('cache-control')).toBe('no-store');
    expect(await script.text()).toBe('console.log(1);');
    const head = await fetch(`${server.origin}/assets/app.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves the app with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${server.origin}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain(`connect-src ${server.origin}${BRIDGE_SESSION_PATH} ${server.bridgeUrl};`);
    expect(csp).toContain("frame-ancestors 'none'");
    // FILE-03: previews are shown from object URLs the window made; data: images stay refused.
    expect(csp).toContain("img-src 'self' blob:;");
    expect(csp).not.toMatch(/img-src[^;]*data:/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('/assets/app.js');
  });

  it('never serves files outside the app or hidden ones', async () => {
    expect((await fetch(`${server.origin}/.secret`)).status).toBe(404);
    expect((await fetch(`${server.origin}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${server.origin}/missing.js`)).status).toBe(404);
    const outside = basename(`${appDir}-outside.txt`);
    expect((await fetch(`${server.origin}/%2e%2e/${outside}`)).status).toBe(404);
    expect((await fetch(`${server.origin}/assets/%2e%2e/%2e%2e/${outside}`)).status).toBe(404);
    expect((await fetch(`${server.origin}/%252e%252e/${outside}`)).status).toBe(404);
    expect(await statusOfRawPath(server, `/../${outside}`)).toBe(404);
    expect(await statusOfRawPath(server, '/.secret')).toBe(404);
    const missing = await fetch(`${server.origin}/nothing-here`);
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${server.origin}/`, { method: 'POST' })).status).toBe(405);
  });
});

describe('bridge server: limits', () => {
  it('closes a socket that keeps sending malformed frames, and one that sends a frame over the limit', async () => {
    const server = await startBridgeServer({ handlers: handlers(), appDir: null, maxBadFrames: 3, maxFrameBytes: 1024 });
    try {
      const noisy = await connect(server);
      const closed = new Promise<number>((resolve) => noisy.once('close', (code) => resolve(code)));
      for (let i = 0; i < 3; i++) noisy.send('garbage');
      expect(await closed).toBe(BRIDGE_CLOSE_BAD_FRAMES);

      const big = await connect(server);
      const bigClosed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
      big.send(JSON.stringify({ kind: 'call', id: 1, method: 'session.state', params: { pad: 'x'.repeat(2048) } }));
      expect(await bigClosed).toBe(1009);

      const page = await fetch(`${server.origin}/`);
      expect(await page.text()).toContain('npm run build:app');
    } finally {
      await server.close();
    }
  });
});

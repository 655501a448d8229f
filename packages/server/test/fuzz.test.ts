import { CLIENT_MESSAGE_TYPES, LIMITS } from '@discordopus/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventually, makeKey, TestClient } from './helpers/test-client';
import { startServerProcess, type ServerProcess } from './helpers/server-process';

/**
 * Throw many thousands of random and mutated frames at a live server process, from many
 * sockets before and after login, while two well-behaved clients keep talking through it.
 * The process must survive, keep serving them, and come back to its baseline state and memory.
 */

const FRAMES = 25_000;
const WORKERS = 8;

let proc: ServerProcess;
beforeAll(async () => {
  proc = await startServerProcess(
    ['--offline-grace-ms', '0', '--frames-burst', '1000000', '--frames-per-second', '100000', '--malformed-burst', '500',
      '--relay-burst', '100000', '--presence-burst', '100000', '--contact-request-burst', '100000', '--log-level', 'warn'],
  );
});
afterAll(async () => {
  await proc.kill('SIGTERM');
});

const key = makeKey();
const someKeys = [key.id, makeKey().id, 'A'.repeat(43), '_'.repeat(43)];

/** Valid messages to mutate. */
const seeds: Record<string, unknown>[] = [
  { type: 'auth.proof', protocolVersion: 1, publicKey: key.id, timestampMs: Date.now(), signature: 'A'.repeat(86) },
  { type: 'contacts.set', contacts: someKeys.slice(0, 2) },
  { type: 'presence.set', status: 'busy' },
  { type: 'signal.send', id: 'f', to: someKeys[1], payload: 'p' },
  { type: 'contact.request.send', id: 'c', to: someKeys[1], payload: 'hi' },
  { type: 'ice.request' },
  { type: 'heartbeat.ping', t: 1 },
];

const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(-1, 1e308, -0, 2 ** 53 + 1, '', 'x'.repeat(70_000), null, [], {}, '__proto__', 'invisible', { __proto__: { polluted: 1 } }),
  fc.constantFrom(...CLIENT_MESSAGE_TYPES),
  fc.constantFrom(...someKeys),
);

const mutated: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...seeds), fc.constantFrom('type', 'id', 'to', 'payload', 'contacts', 'status', 't', 'publicKey', 'timestampMs', 'signature', 'extra', '__proto__'), weird, fc.boolean())
  .map(([seed, field, value, remove]) => {
    const copy: Record<string, unknown> = { ...seed };
    if (remove) delete copy[field];
    else copy[field] = value;
    return JSON.stringify(copy);
  });

const special = fc.constantFrom(
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"a":'.repeat(30_000) + '1' + '}'.repeat(30_000),
  JSON.stringify({ type: 'contacts.set', contacts: Array.from({ length: LIMITS.maxContacts }, () => makeKey().id) }),
  JSON.stringify({ type: 'contacts.set', contacts: Array.from({ length: LIMITS.maxContacts + 1 }, () => 'A'.repeat(43)) }),
  JSON.stringify({ type: 'signal.send', id: 'big', to: someKeys[1], payload: '\u0000'.repeat(LIMITS.maxSignalPayloadChars + 1) }),
  '{"__proto__":{"type":"presence.set","status":"online"}}',
  '{"type":"presence.set","status":"online","constructor":{"prototype":{"x":1}}}',
  '\uFEFF{"type":"ice.request"}',
  '\ud800',
  'null',
  '1e99999',
);

type Frame = string | Uint8Array;
/** Close codes of the sockets the server closed. */
const closeCodes = new Map<number, number>();
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 6, arbitrary: mutated },
  { weight: 1, arbitrary: special },
);

/** One fuzzing socket: logs in (or not), sends frames until the server closes it. */
async function fuzzSocket(url: string, frames: Frame[], login: boolean): Promise<number> {
  let sent = 0;
  let client: TestClient;
  try {
    client = login ? await TestClient.login(url, makeKey()) : await TestClient.connect(url);
  } catch {
    return 0;
  }
  for (const frame of frames) {
    if (client.ws.readyState !== WebSocket.OPEN) break;
    client.sendRaw(frame);
    sent++;
    // Let the server answer now and then, so this is a flood of frames, not of buffered bytes.
    if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  // Codes of sockets the server closed; ours (closed by us, possibly cut when slow) do not count.
  const byServer = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
  if (byServer) closeCodes.set(byServer.code, (closeCodes.get(byServer.code) ?? 0) + 1);
  await client.close();
  return sent;
}

describe('fuzzing a live server process', () => {
  it('survives many thousands of random and mutated frames, serving a well-behaved client throughout', async () => {
    const url = proc.url;
    const a = await TestClient.login(url, makeKey());
    const b = await TestClient.login(url, makeKey());
    await a.setContacts([b.key]);
    await b.setContacts([a.key]);
    // Warm up, then take the baseline.
    await fuzzRound(url, 1_000, 1);
    await eventually(async () => (await proc.metric('discordopus_connections')) === 2, 'warm-up sockets to close');
    const heapBefore = await proc.metric('discordopus_nodejs_heap_size_used_bytes');

    let served = 0;
    let stop = false;
    const wellBehaved = (async () => {
      for (let i = 0; !stop; i++) {
        a.send({ type: 'signal.send', id: `ok${i}`, to: b.key.id, payload: `hello ${i}` });
        expect(await b.nextMatching('signal.relay', (m) => m.payload === `hello ${i}`, 10_000)).toMatchObject({ from: a.key.id });
        await b.sync();
        served++;
      }
    })();

    const sent = await fuzzRound(url, FRAMES, 2);
    stop = true;
    await wellBehaved;

    expect(sent).toBeGreaterThanOrEqual(FRAMES * 0.5);
    expect(served).toBeGreaterThan(10);
    // The server closed fuzzers only with protocol codes, never by a crash (1006/1011).
    expect(closeCodes.get(4400)).toBeGreaterThan(0);
    for (const code of closeCodes.keys()) expect([1009, 4400, 4401, 4408, 4426, 4429]).toContain(code);
    expect(a.all('signal.error')).toEqual([]);
    expect(proc.child.exitCode).toBeNull();
    expect((await proc.http('/healthz')).status).toBe(200);

    // Back to baseline: only the two good sessions remain, in sockets and in the directory.
    await eventually(async () => (await proc.metric('discordopus_connections')) === 2, 'fuzz sockets to close');
    expect(await proc.metric('discordopus_sessions')).toBe(2);
    expect(await proc.metric('discordopus_directory_entries')).toBe(2);
    expect(await proc.metric('discordopus_malformed_frames_total')).toBeGreaterThan(1_000);
    const heapAfter = await proc.metric('discordopus_nodejs_heap_size_used_bytes');
    const rss = await proc.metric('discordopus_process_resident_memory_bytes');
    // Bounded: no per-frame retention (25k frames of up to 230 KB would be gigabytes).
    expect(heapAfter - heapBefore).toBeLessThan(96 * 1024 * 1024);
    expect(rss).toBeLessThan(768 * 1024 * 1024);

    await a.close();
    await b.close();
  }, 240_000);
});

async function fuzzRound(url: string, total: number, seed: number): Promise<number> {
  const frames = fc.sample(frameArb, { numRuns: total, seed });
  let next = 0;
  let sent = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      for (let round = 0; next < frames.length; round++) {
        const batch = frames.slice(next, next + 200);
        next += batch.length;
        const n = await fuzzSocket(url, batch, (w + round) % 5 !== 0);
        sent += n;
      }
    }),
  );
  return sent;
}

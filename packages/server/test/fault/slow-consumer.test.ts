import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/test-client';
import { type ChildServer, startNode, waitFor } from './fault-harness';

/**
 * A client that stops reading (INFR-01, INFR-03): its peers flood it with relayed envelopes
 * and presence changes. The server must drop it once its unsent output passes
 * `maxBufferedBytes`, and the server's memory must stay bounded while the flood goes on: the
 * flood is far larger than the bound, so a server that queued it would fail the check.
 */
const MAX_BUFFERED = 256 * 1024;
const PAYLOAD = 'p'.repeat(32 * 1024);
const FLOOD_BYTES = 144 * 2 ** 20;
const RSS_GROWTH_BOUND = 64 * 2 ** 20;

let server: ChildServer | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server?.kill();
  server = null;
});

describe('a client that stops reading (INFR-01, INFR-03)', () => {
  it('INFR-03: is dropped as a slow consumer, its contacts see it offline, and the server RSS stays bounded under the flood', async () => {
    server = await startNode([
      '--max-buffered-bytes', String(MAX_BUFFERED),
      '--offline-grace-ms', '0',
      // Budgets lifted so that three peers can flood quickly; backpressure is what is under test.
      '--relay-per-second', '100000', '--relay-burst', '100000',
      '--presence-per-second', '100000', '--presence-burst', '100000',
      '--frames-per-second', '100000', '--frames-burst', '1000000',
    ]);
    const victim = await TestClient.login(server.url);
    const peers = await Promise.all([1, 2, 3].map(() => TestClient.login(server!.url)));
    clients.push(victim, ...peers);
    await victim.setContacts(peers.map((p) => p.key));
    for (const p of peers) await p.setContacts([victim.key]);
    for (const p of peers) await p.sync();
    const rss = (): Promise<number> => server!.metric('discordopus_process_resident_memory_bytes');
    const rssBefore = await rss();
    let rssMax = rssBefore;

    victim.stopReading();
    let sent = 0;
    let round = 0;
    const statuses = ['away', 'busy', 'online'] as const;
    while (sent < FLOOD_BYTES) {
      for (const p of peers) {
        for (let i = 0; i < 16; i++) p.send({ type: 'signal.send', id: `r${round}-${i}`, to: victim.key.id, payload: PAYLOAD });
        p.send({ type: 'presence.set', status: statuses[round % 3] as string });
        sent += 16 * PAYLOAD.length;
      }
      // Paced by round trips, so the flood waits on the server, not in our own send buffers.
      await Promise.all(peers.map((p) => p.sync()));
      if (++round % 20 === 0) rssMax = Math.max(rssMax, await rss());
    }
    rssMax = Math.max(rssMax, await rss());

    expect(await server.metric('discordopus_closes_total', 'reason="slow_consumer"')).toBe(1);
    await waitFor(async () => (await server!.metric('discordopus_connections')) === peers.length, 'the victim socket released');
    // (sync() skips other messages, so look at everything received, not the unread queue.)
    await waitFor(() => peers.every((p) => p.all('presence.update').some((u) => u.publicKey === victim.key.id && u.status === 'offline')), 'its contacts saw it go offline');
    // Relays to it are now refused as to anyone offline.
    peers[0]!.send({ type: 'signal.send', id: 'after', to: victim.key.id, payload: 'x' });
    expect(await peers[0]!.nextMatching('signal.error', (e) => e.id === 'after')).toMatchObject({ code: 'TARGET_OFFLINE' });
    expect(rssMax - rssBefore).toBeLessThan(RSS_GROWTH_BOUND);
    expect(sent).toBeGreaterThan(2 * RSS_GROWTH_BOUND);
  });
});

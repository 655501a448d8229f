import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@discordopus/core';
import { afterEach, describe, expect, it } from 'vitest';
import { probePort } from '../../src/launcher/embedded-server';
import { EMBEDDED_SERVER_FILE } from '../../src/launcher/embedded-server-registry';
import { SharedEmbeddedServer } from '../../src/launcher/shared-embedded-server';
import { removeTempHomes, tempHome } from '../helpers/sessions';
import { waitUntil } from '../helpers/wait';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  removeTempHomes();
});

/** A foreign program on a port: answers HTTP, but is not a DiscordOpus server. */
async function foreignProgram(): Promise<number> {
  const server: Server = createServer((_req, res) => res.end('something else'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

function shared(port: number, home: string, watchIntervalMs?: number): SharedEmbeddedServer {
  const server = new SharedEmbeddedServer({ port, logger: silentLogger, home, ...(watchIntervalMs ? { watchIntervalMs } : {}) });
  cleanups.push(() => server.close());
  return server;
}

describe('launchers of one home agree on one embedded server (issue 15 item 3, UI-01)', () => {
  it('when a foreign program holds the usual port, the second launcher finds the first one’s server on its moved port', async () => {
    const home = tempHome();
    const taken = await foreignProgram();
    const first = shared(taken, home);
    const second = shared(taken, home);
    const url = await first.url();
    expect(await first.owned()).toBe(true);
    const port = Number(new URL(url).port);
    expect(port).not.toBe(taken);
    expect(JSON.parse(readFileSync(join(home, EMBEDDED_SERVER_FILE), 'utf8'))).toEqual({ port, pid: process.pid });
    // Without the registry the second launcher would start a server of its own on another free port.
    expect(await second.url()).toBe(url);
    expect(await second.owned()).toBe(false);
    for (const s of [first, second]) expect(s.note).toBe(`The built-in signaling server could not use its usual port ${taken} (another program has it), so it runs on port ${port}. DiscordOpus on this computer finds it there.`);
  });

  it('on its usual port there is nothing to say', async () => {
    const home = tempHome();
    const port = await foreignProgram();
    await cleanups.pop()?.(); // free again
    const first = shared(port, home);
    expect(await first.url()).toBe(`ws://127.0.0.1:${port}`);
    expect(first.note).toBeNull();
  });

  it('when the launcher running the moved server quits, one that shared it takes over on the same port', async () => {
    const home = tempHome();
    const taken = await foreignProgram();
    const first = shared(taken, home);
    const url = await first.url();
    const second = shared(taken, home, 20);
    expect(await second.url()).toBe(url);
    await first.close();
    await waitUntil(() => second.owned(), 'the second launcher runs the server');
    expect(await probePort(Number(new URL(url).port))).toBe('discordopus');
    expect(JSON.parse(readFileSync(join(home, EMBEDDED_SERVER_FILE), 'utf8')).port).toBe(Number(new URL(url).port));
    await second.close();
    expect(existsSync(join(home, EMBEDDED_SERVER_FILE))).toBe(false);
  });
});

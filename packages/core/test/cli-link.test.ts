import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli';
import type { CliContext } from '../src/cli/commands';
import { Identity } from '../src/identity/identity';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { TEST_ONLY_CHEAP_SCRYPT } from '../src/vault/kdf';
import { cleanupLinkCores, type LinkCore, startLinkCore } from './harness/link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * `discordopus-cli link <contact>` (P2P-01, P2P-03: headless links), run as the CLI runs (main()
 * with its own streams) against a real signaling server process; the contact is a real client
 * core (createClientCore) in this process. ICE stays on 127.0.0.1.
 */
const PASS = 'correct horse battery staple';
const LOOPBACK: CliContext['clientOptions'] = { defaultIceServers: [], links: { bindAddress: '127.0.0.1' } };
let server: ServerProcess;
const homes: string[] = [];
const cores: LinkCore[] = [];

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

/** Run the CLI; `stopWhen` plays Ctrl-C once the output so far satisfies it. */
async function run(home: string, args: string[], stopWhen: ((out: string) => boolean) | null = null) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(['--home', home, ...args], {
    env: { DISCORDOPUS_PASSPHRASE: PASS },
    stdout,
    stderr,
    kdf: TEST_ONLY_CHEAP_SCRYPT,
    clientOptions: LOOPBACK,
    untilStopped: stopWhen ? () => waitFor(() => stopWhen(out), 'the output wanted', 20_000) : () => new Promise(() => {}),
  });
  return { code, out, err, lines: out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A CLI profile "Alice" pointed at the test server, and a running core "Bob", mutual contacts. */
async function aliceAndBob(): Promise<{ home: string; aliceId: string; bob: LinkCore }> {
  const home = mkdtempSync(join(tmpdir(), 'dop-cli-link-'));
  homes.push(home);
  const created = await run(home, ['--json', 'create', '--name', 'Alice']);
  const { userId: aliceId } = JSON.parse(created.out) as { userId: string };
  expect((await run(home, ['server', server.url])).code).toBe(0);
  const bob = await startLinkCore('Bob', server.url);
  cores.push(bob);
  expect((await run(home, ['add', bob.vault.identity.userId, '--nickname', 'Bobby'])).code).toBe(0);
  bob.vault.contacts.add(aliceId);
  return { home, aliceId, bob };
}

const linkLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l.event === 'link');

describe('discordopus-cli link (P2P-01, P2P-03)', () => {
  it('P2P-01, P2P-03: link <user ID> --once opens the link when the contact is online, prints JSON lines up to "open, direct, RTT", closes it and exits 0', async () => {
    const { home, aliceId, bob } = await aliceAndBob();
    const r = await run(home, ['link', bob.vault.identity.userId, '--once']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const links = linkLines(r.lines);
    expect(links[0]).toEqual({ event: 'link', contact: bob.vault.identity.userId, state: 'connecting', reason: null, path: null, rttMs: null });
    expect(links.at(-2)).toEqual({ event: 'link', contact: bob.vault.identity.userId, state: 'open', reason: null, path: 'direct', rttMs: expect.any(Number) });
    // Then the process leaves, and says so.
    expect(links.at(-1)).toMatchObject({ state: 'closed', reason: 'shutdown' });
    expect(r.lines).toContainEqual(expect.objectContaining({ event: 'presence', contact: bob.vault.identity.userId, status: 'online' }));
    // The other side saw the same link open, and it closed when the CLI exited.
    expect(bob.changes.filter((c) => c.state === 'open').length).toBeGreaterThan(0);
    await waitFor(() => bob.changes.at(-1)?.state === 'closed', 'bob saw the CLI leave');
    expect(aliceId).toMatch(/^dopus1/);
  });

  it('P2P-01: link <nickname> runs until Ctrl-C, then closes the link (shutdown) and exits 0', async () => {
    const { home, bob } = await aliceAndBob();
    const r = await run(home, ['link', 'bobby'], (out) => /"state":"open"[^\n]*"rttMs":\d/.test(out));
    expect(r.code).toBe(0);
    expect(linkLines(r.lines).map((l) => l.state)).toEqual(expect.arrayContaining(['connecting', 'open', 'closed']));
    expect(linkLines(r.lines).at(-1)).toMatchObject({ state: 'closed', reason: 'shutdown' });
    await waitFor(() => bob.changes.at(-1)?.state === 'closed', 'bob saw the link close');
  });

  it('CONT-01: a contact that is not in the list, or no contact at all, is refused with a code and a sentence', async () => {
    const { home } = await aliceAndBob();
    const stranger = await run(home, ['link', Identity.create('Carol').userId]);
    expect(stranger.code).toBe(1);
    expect(stranger.err).toMatch(/^CONTACT_NOT_FOUND: That user ID is not in your contacts/);
    expect((await run(home, ['link', 'nobody'])).err).toMatch(/^CONTACT_NOT_FOUND: No contact is called “nobody”/);
    expect((await run(home, ['link'])).err).toMatch(/^USAGE: /);
  });
});

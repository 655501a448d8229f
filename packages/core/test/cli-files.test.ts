import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/cli';
import type { CliContext } from '../src/cli/commands';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { TEST_ONLY_CHEAP_SCRYPT } from '../src/vault/kdf';
import { cleanupLinkCores } from './harness/link-core';
import { type MessageCore, startMessageCore } from './harness/message-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * `discordopus-cli send-file | accept | listen` (FILE-01..03, issue #13), run as the CLI runs
 * (main() with its own streams) against a real signaling server process; the contact is a real
 * client core in this process. ICE stays on 127.0.0.1; files go to temp folders only.
 */
const PASS = 'correct horse battery staple';
const LOOPBACK: CliContext['clientOptions'] = { defaultIceServers: [], links: { bindAddress: '127.0.0.1' } };
let server: ServerProcess;
const homes: string[] = [];
const cores: MessageCore[] = [];

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

/** Run the CLI; `stopWhen` plays Ctrl-C once the output so far satisfies it (null: never). */
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
async function aliceAndBob(): Promise<{ home: string; aliceId: string; bob: MessageCore }> {
  const home = mkdtempSync(join(tmpdir(), 'dop-cli-files-'));
  homes.push(home);
  const created = await run(home, ['--json', 'create', '--name', 'Alice']);
  const { userId: aliceId } = JSON.parse(created.out) as { userId: string };
  expect((await run(home, ['server', server.url])).code).toBe(0);
  const bob = await startMessageCore('Bob', server.url);
  cores.push(bob);
  expect((await run(home, ['add', bob.userId, '--nickname', 'Bobby'])).code).toBe(0);
  bob.vault.contacts.add(aliceId);
  return { home, aliceId, bob };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('discordopus-cli files (FILE-01..03)', () => {
  it('FILE-01: send-file <nickname> <path> exits 0 once the contact has the whole file, printing the offer, progress and completion', async () => {
    const { home, bob } = await aliceAndBob();
    bob.vault.settings.set('files.downloadsDir', join(home, 'bob-downloads'));
    bob.root.on('fileOffered', (e) => bob.root.acceptFile(e.transfer.id));
    const data = randomBytes(300 * 1024);
    const path = join(home, 'report.pdf');
    writeFileSync(path, data);
    const sent = await run(home, ['--json', 'send-file', 'bobby', path]);
    expect(sent.err).toBe('');
    expect(sent.code).toBe(0);
    const events = sent.lines.map((l) => l.event);
    expect(events[0]).toBe('fileOffered');
    expect(events).toContain('fileProgress');
    expect(sent.lines.at(-1)).toMatchObject({ event: 'fileState', state: 'complete' });
    expect(sent.lines[0]).toMatchObject({ name: 'report.pdf', size: data.length, contact: bob.userId, direction: 'out', preview: null });
    expect(sha(readFileSync(join(home, 'bob-downloads', 'report.pdf')))).toBe(sha(data));
  });

  it('FILE-01, FILE-03: listen --json prints an offer; accept <id> <dir> receives it byte-identical under a safe name; a bad id is a clear error', async () => {
    const { home, bob } = await aliceAndBob();
    const data = randomBytes(200 * 1024 + 3);
    const path = join(home, 'from-bob.bin');
    writeFileSync(path, data);
    const aliceHex = bob.vault.contacts.list()[0]!.publicKey;
    const listening = run(home, ['--json', 'listen'], (out) => out.includes('"event":"fileOffered"'));
    await waitFor(() => bob.vault.contacts.presenceOf(aliceHex) === 'online', 'alice online');
    const offered = await bob.root.offerFile(aliceHex, path, { name: '../../etc/passwd', caption: 'see this' });
    const listened = await listening;
    expect(listened.code).toBe(0);
    expect(listened.lines).toContainEqual(expect.objectContaining({ event: 'fileOffered', id: offered.id, name: '../../etc/passwd', safeName: '__.._etc_passwd', caption: 'see this', state: 'offered' }));

    const bad = await run(home, ['accept', 'AAAAAAAAAAAAAAAAAAAAAA']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^TRANSFER_NOT_FOUND: /);

    const into = join(home, 'inbox');
    const accepted = await run(home, ['--json', 'accept', offered.id, into]);
    expect(accepted.err).toBe('');
    expect(accepted.code).toBe(0);
    const done = accepted.lines.at(-1)!;
    expect(done).toMatchObject({ event: 'fileState', id: offered.id, state: 'complete' });
    expect(String(done.finalPath).startsWith(into)).toBe(true);
    expect(sha(readFileSync(String(done.finalPath)))).toBe(sha(data));
    await waitFor(() => bob.root.transfers().find((t) => t.id === offered.id)?.state === 'complete', 'bob told of completion');
  });
});

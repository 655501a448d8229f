import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliHarness } from './harness/cli-harness';
import { type MessageCore, startMessageCore } from './harness/message-core';
import { waitFor } from './harness/server-process';

/**
 * `discordopus-cli send-file | accept | listen` (FILE-01..03, issue #13), run as the CLI runs
 * (main() with its own streams) against a real signaling server process; the contact is a real
 * client core in this process. ICE stays on 127.0.0.1; files go to temp folders only.
 */
const { run, aliceAndBob, serverUrl, track } = useCliHarness<MessageCore>({
  tempPrefix: 'dop-cli-files-',
  startCore: (name, url) => startMessageCore(name, url),
  userIdOf: (c) => c.userId,
});

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

  it('FILE-02: send-file prints a pause when the receiver goes away mid-file, and still exits 0 once the receiver is back and has the whole file', async () => {
    const { home, bob } = await aliceAndBob();
    bob.vault.settings.set('files.downloadsDir', join(home, 'bob-downloads'));
    bob.root.on('fileOffered', (e) => bob.root.acceptFile(e.transfer.id));
    let stopping = false;
    let stopped = false;
    bob.root.on('fileProgress', (e) => {
      if (stopping || e.bytes < 1024 * 1024 || e.bytes >= e.size) return;
      stopping = true;
      // Bob quits mid-file (on the next turn, outside the engine's callback).
      setImmediate(() => {
        bob.stop();
        stopped = true;
      });
    });
    const data = randomBytes(24 * 1024 * 1024);
    const path = join(home, 'big.bin');
    writeFileSync(path, data);
    const sending = run(home, ['--json', 'send-file', 'bobby', path]);
    await waitFor(() => stopped, 'bob stopped mid-file', 60_000);
    const bob2 = await startMessageCore('Bob', serverUrl(), { dir: bob.dir });
    track(bob2);
    const sent = await sending;
    expect(sent.err).toBe('');
    expect(sent.code).toBe(0);
    const id = String(sent.lines[0]?.id);
    const paused = sent.lines.findIndex((l) => l.event === 'fileInterrupted');
    expect(paused).toBeGreaterThan(0);
    expect(sent.lines[paused]).toMatchObject({ id, direction: 'out', bytes: expect.any(Number) });
    expect(sent.lines.at(-1)).toMatchObject({ event: 'fileState', id, state: 'complete' });
    expect(sha(readFileSync(join(home, 'bob-downloads', 'big.bin')))).toBe(sha(data));
  });
});

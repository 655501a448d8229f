import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeFileName } from '@discordopus/protocol/files';
import { FixtureProcess } from './helpers/child-process';
import { type FileCore, sha256OfFile, transferState, useFileTestServer, writePatternFile } from './harness/file-core';
import { mutualContactProfiles as profiles } from './harness/link-core';
import { fullHistory } from './harness/message-core';
import { waitFor } from './harness/server-process';

/**
 * File transfer between real cores under faults (issue #13, FILE-01..03): a real signaling
 * server process, real vaults, real links on 127.0.0.1; the sender killed with SIGKILL in its
 * own process; two transfers and a chat at once; hostile names. Waits are on conditions;
 * mid-transfer actions happen inside progress events.
 */
const children: FixtureProcess[] = [];
const env = useFileTestServer({
  afterEachTest: async () => {
    for (const child of children.splice(0)) await child.kill();
  },
});
let tmp = '';
const MiB = 1024 * 1024;

const start = (name: string, dir: string): Promise<FileCore> => env.startCore(name, { dir, home: tmp });

async function pair(): Promise<[FileCore, FileCore]> {
  const p = await profiles();
  const alice = await start('Alice', p.alice.dir);
  const bob = await start('Bob', p.bob.dir);
  await waitFor(() => alice.vault.contacts.presenceOf(bob.hex) === 'online' && bob.vault.contacts.presenceOf(alice.hex) === 'online', 'online to each other');
  return [alice, bob];
}

function lineOf<T>(child: FixtureProcess, key: string): T | null {
  for (const line of child.lines) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (key in parsed) return parsed[key] as T;
  }
  return null;
}

describe('file transfer between real cores, under faults (FILE-01..03)', () => {
  it('FILE-02: the sender core killed with SIGKILL mid-transfer and started again: the transfer resumes from the receiver’s checkpoint and the file is whole', { timeout: 180_000 }, async () => {
    tmp = env.home('dop-files-faults-');
    const p = await profiles();
    const src = join(tmp, 'big.bin');
    const size = 48 * MiB;
    const digest = writePatternFile(src, size, randomBytes(MiB));
    const bob = await start('Bob', p.bob.dir);
    const first = new FixtureProcess('file-sender-core.ts', [env.url, p.alice.dir, tmp, p.bob.hex, src]);
    children.push(first);
    await first.waitFor(() => lineOf(first, 'offered') !== null);
    const id = lineOf<string>(first, 'offered')!;
    await waitFor(() => bob.offers.some((o) => o.id === id), 'bob has the offer');

    // Killed once bob has a checkpoint (8 MiB, fsynced, in his vault) and more bytes are still to come.
    let killedAt = -1;
    const off = bob.root.on('fileProgress', (e) => {
      const durable = bob.root.transfers().find((t) => t.id === id)?.bytesDone ?? 0;
      if (e.id !== id || killedAt >= 0 || e.bytes >= e.size || durable === 0) return;
      killedAt = bob.progress.length;
      first.child.kill('SIGKILL');
    });
    bob.root.acceptFile(id);
    await waitFor(() => killedAt >= 0, 'alice killed mid-transfer', 60_000);
    off();
    expect((await first.exited).signal).toBe('SIGKILL');
    const row = bob.root.transfers().find((t) => t.id === id)!;
    expect(row.state).toBe('accepted');
    expect(row.bytesDone).toBeGreaterThan(0);
    expect(row.bytesDone).toBeLessThan(size);

    const second = new FixtureProcess('file-sender-core.ts', [env.url, p.alice.dir, tmp, p.bob.hex]);
    children.push(second);
    await waitFor(() => transferState(bob, id) === 'complete', 'complete at bob after alice’s restart', 120_000);
    await second.waitFor((lines) => lines.some((l) => l.includes(`"id":"${id}","state":"complete"`)));
    expect(await sha256OfFile(join(bob.downloads, 'big.bin'))).toBe(digest);
    // Resumed, not started again: no progress after the kill went below the checkpoint.
    const after = bob.progress.slice(killedAt).filter((e) => e.id === id).map((e) => e.bytes);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(row.bytesDone);
    expect(readdirSync(bob.downloads)).toEqual(['big.bin']);
  });

  it('FILE-01: two transfers and a chat at once — the chat round trips arrive while both files flow, and both files are whole', { timeout: 120_000 }, async () => {
    tmp = env.home('dop-files-faults-');
    const [alice, bob] = await pair();
    const block = randomBytes(MiB);
    const files = ['one.bin', 'two.bin'].map((name) => {
      const path = join(tmp, name);
      return { name, path, digest: writePatternFile(path, 32 * MiB, block) };
    });
    const ids: string[] = [];
    for (const f of files) {
      const t = await alice.root.offerFile(bob.hex, f.path);
      await waitFor(() => bob.offers.some((o) => o.id === t.id), `bob has ${f.name}`);
      ids.push(t.id);
    }
    // Bob answers every question; alice asks once both transfers have bytes at bob.
    bob.root.on('messageAdded', ({ message }) => {
      if (!message.outgoing && message.text.startsWith('ping ')) bob.root.sendMessage(alice.hex, `pong ${message.text.slice(5)}`);
    });
    const doneWhenAnswered: number[] = [];
    alice.root.on('messageAdded', ({ message }) => {
      if (!message.outgoing && message.text.startsWith('pong ')) doneWhenAnswered.push(ids.filter((id) => transferState(bob, id) === 'complete').length);
    });
    let asked = false;
    bob.root.on('fileProgress', () => {
      if (asked || !ids.every((id) => bob.progress.some((e) => e.id === id && e.bytes > 0))) return;
      asked = true;
      for (let i = 0; i < 3; i++) alice.root.sendMessage(bob.hex, `ping ${i}`);
    });
    for (const id of ids) bob.root.acceptFile(id);
    await waitFor(() => doneWhenAnswered.length === 3, 'three round trips answered', 60_000);
    await waitFor(() => ids.every((id) => transferState(bob, id) === 'complete' && transferState(alice, id) === 'complete'), 'both files complete', 90_000);
    // The first answer came back before both 32 MiB files were done: chat is not queued behind them.
    expect(doneWhenAnswered[0]).toBeLessThan(2);
    expect(fullHistory(alice, bob.hex).filter((m) => !m.outgoing).map((m) => m.text)).toEqual(['pong 0', 'pong 1', 'pong 2']);
    for (const f of files) expect(await sha256OfFile(join(bob.downloads, f.name))).toBe(f.digest);
  });

  it('FILE-03: hostile names offered by a real core land as safe, unique names inside the downloads folder', { timeout: 120_000 }, async () => {
    tmp = env.home('dop-files-faults-');
    const [alice, bob] = await pair();
    const names = ['../../escape.txt', '/etc/passwd', '..\\..\\win.ini', 'nul\u0000byte.txt', 'bell\u0007\u001b[31mred.txt', 'CON', 'nul.txt', 'LPT1.log', `${'x'.repeat(300)}.bin`, '.', '..', '...', ' . ', '\u202Egnp.exe'];
    const landed: string[] = [];
    for (const [i, name] of names.entries()) {
      const path = join(tmp, `src-${i}`);
      const bytes = randomBytes(100 + i);
      writeFileSync(path, bytes);
      const t = await alice.root.offerFile(bob.hex, path, { name });
      await waitFor(() => bob.offers.some((o) => o.id === t.id), `bob has offer ${i}`);
      bob.root.acceptFile(t.id);
      await waitFor(() => transferState(bob, t.id) === 'complete', `offer ${i} complete`);
      const finalPath = bob.root.transfers().find((x) => x.id === t.id)!.finalPath!;
      expect(dirname(finalPath), JSON.stringify(name)).toBe(bob.downloads);
      const got = basename(finalPath);
      const safe = safeFileName(name);
      const dot = safe.lastIndexOf('.');
      const numbered = dot > 0 ? new RegExp(`^${escape(safe.slice(0, dot))} \\(\\d+\\)${escape(safe.slice(dot))}$`) : new RegExp(`^${escape(safe)} \\(\\d+\\)$`);
      expect(got === safe || numbered.test(got), `${JSON.stringify(name)} → ${got}`).toBe(true);
      expect([...got].some((ch) => ch === '/' || ch === '\\' || ch === '\u202e' || ch.charCodeAt(0) < 0x20), got).toBe(false);
      expect(got.startsWith('.')).toBe(false);
      expect(got).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
      expect(Buffer.byteLength(got)).toBeLessThanOrEqual(255);
      expect(readFileSync(finalPath).equals(bytes)).toBe(true);
      landed.push(got);
    }
    expect(new Set(landed).size).toBe(names.length); // nothing overwritten
    expect(readdirSync(bob.downloads).sort()).toEqual([...landed].sort());
    // Nothing escaped into the folders above.
    expect(readdirSync(dirname(bob.downloads)).filter((n) => !n.startsWith('src-') && !n.endsWith('-downloads'))).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileTunables, writeAll } from '../src/files/transfer-tunables';
import { type FileCore, sha256OfFile, transferState, useFileTestServer, writePatternFile } from './harness/file-core';
import { mutualContactProfiles as profiles } from './harness/link-core';
import { waitFor } from './harness/server-process';

/**
 * File transfers and the life of the link under them (issue #13, FILE-01, P2P-01): real cores,
 * a real signaling server process, real links on 127.0.0.1. Waits are on conditions.
 */
const env = useFileTestServer();
let tmp = '';
const MiB = 1024 * 1024;

const start = (name: string, dir: string, tunables?: Partial<FileTunables>): Promise<FileCore> => env.startCore(name, { dir, home: tmp, ...(tunables ? { tunables } : {}) });

/**
 * Receiver tunables (failure injection): once `atBytes` are written, the writer holds the whole
 * process for `ms` — a stall like a long GC pause or a starved machine, longer than the idle
 * period; no timer, no I/O runs meanwhile, on either side.
 */
function writesStallingOnce(atBytes: number, ms: number): Partial<FileTunables> {
  let written = 0;
  let stalled = false;
  return {
    writeChunk: (fd, data, position) => {
      written += data.byteLength;
      if (!stalled && written >= atBytes) {
        stalled = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      }
      writeAll(fd, data, position);
    },
  };
}

async function online(a: FileCore, b: FileCore): Promise<void> {
  await waitFor(() => a.vault.contacts.presenceOf(b.hex) === 'online' && b.vault.contacts.presenceOf(a.hex) === 'online', 'online to each other');
}

describe('file transfers and the link under them (FILE-01, P2P-01)', () => {
  it('P2P-01, FILE-01: a link whose idle period is far shorter than a transfer is not closed while the file flows, nor when its bytes stall past the period, and closes when idle after it', { timeout: 180_000 }, async () => {
    tmp = env.home('dop-files-links-');
    const p = await profiles();
    const alice = await start('Alice', p.alice.dir);
    const bob = await start('Bob', p.bob.dir, writesStallingOnce(64 * MiB, 2_500));
    await online(alice, bob);
    let id = '';
    const closes: string[] = [];
    for (const [side, other] of [[alice, bob], [bob, alice]] as const) {
      side.links.on('linkState', (e) => {
        if (e.peer === other.hex && e.state === 'closed') closes.push(`${side.name}:${e.reason}:${transferState(side, id)}`);
      });
    }
    const src = join(tmp, 'long.bin');
    const digest = writePatternFile(src, 192 * MiB, randomBytes(MiB));
    const t = await alice.root.offerFile(bob.hex, src);
    id = t.id;
    await waitFor(() => bob.offers.some((o) => o.id === id), 'bob has the offer');
    // Once bytes flow, both sides' idle period drops to 1 s (as a setting change applies to open
    // links at once): the link carries no frame of its own from then on, only the file's bytes.
    let shortened = false;
    bob.root.on('fileProgress', (e) => {
      if (shortened || e.id !== id || e.bytes === 0 || e.bytes >= e.size) return;
      shortened = true;
      for (const side of [alice, bob]) side.links.setIdleTimeout(1000);
    });
    bob.root.acceptFile(id);
    await waitFor(() => shortened, 'bytes flow');
    await waitFor(() => transferState(bob, id) === 'complete' && transferState(alice, id) === 'complete', 'complete on both sides', 150_000);
    // No close of any kind while the transfer was accepted (and so no resume was needed).
    expect(closes.filter((c) => c.endsWith(':accepted'))).toEqual([]);
    expect(await sha256OfFile(join(bob.downloads, 'long.bin'))).toBe(digest);
    // Afterwards the idle close works as before.
    await waitFor(() => closes.some((c) => c.startsWith('Alice:idle')) && closes.some((c) => c.startsWith('Bob:idle')), 'idle close after the transfer');
  });

  it('FILE-01: a decline made while the sender is away is not lost: the sender hears it when a link opens again', { timeout: 60_000 }, async () => {
    tmp = env.home('dop-files-links-');
    const p = await profiles();
    const alice = await start('Alice', p.alice.dir);
    const bob = await start('Bob', p.bob.dir);
    await online(alice, bob);
    const src = join(tmp, 'unwanted.bin');
    writeFileSync(src, randomBytes(1000));
    const t = await alice.root.offerFile(bob.hex, src);
    await waitFor(() => bob.offers.some((o) => o.id === t.id), 'bob has the offer');
    alice.stop();
    await waitFor(() => bob.vault.contacts.presenceOf(alice.hex) !== 'online', 'bob sees alice away');
    bob.root.declineFile(t.id); // no link, and none can open: the decline goes nowhere now
    const alice2 = await start('Alice', p.alice.dir);
    expect(transferState(alice2, t.id)).toBe('offered');
    // Alice's waiting offer opens a link when bob is seen; bob says his decline again on it.
    await waitFor(() => transferState(alice2, t.id) === 'declined', 'alice hears the decline');
    expect(alice2.states).toContainEqual({ id: t.id, state: 'declined', by: 'peer' });
    expect(transferState(bob, t.id)).toBe('declined');
  });

  it('FILE-01: a cancel made while the receiver is away is not lost: the receiver hears it on the next link', { timeout: 60_000 }, async () => {
    tmp = env.home('dop-files-links-');
    const p = await profiles();
    const alice = await start('Alice', p.alice.dir);
    const bob = await start('Bob', p.bob.dir);
    await online(alice, bob);
    const src = join(tmp, 'changed-mind.bin');
    writeFileSync(src, randomBytes(1000));
    const t = await alice.root.offerFile(bob.hex, src);
    await waitFor(() => bob.offers.some((o) => o.id === t.id), 'bob has the offer');
    bob.stop();
    await waitFor(() => alice.vault.contacts.presenceOf(bob.hex) !== 'online', 'alice sees bob away');
    alice.root.cancelFile(t.id);
    const bob2 = await start('Bob', p.bob.dir);
    expect(transferState(bob2, t.id)).toBe('offered');
    await online(alice, bob2);
    bob2.root.sendMessage(alice.hex, 'hi'); // any link will do
    await waitFor(() => transferState(bob2, t.id) === 'cancelled', 'bob hears the cancel');
    expect(bob2.states).toContainEqual({ id: t.id, state: 'cancelled', by: 'peer' });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { connectSides, type FileSide, twoSides } from './file-peers.test-helper';
import { DEFAULT_FILE_TUNABLES } from './transfer-tunables';

const CHUNK = DEFAULT_FILE_TUNABLES.chunkBytes;

function sourceFile(side: FileSide, name: string, bytes: Buffer): string {
  const path = join(side.root, 'outgoing', name);
  writeFileSync(path, bytes);
  return path;
}

async function sendAndAccept(alice: FileSide, bob: FileSide, path: string, name?: string): Promise<{ id: string; finalPath: string }> {
  const offer = await alice.service.offerFile({ peer: bob.hex, path, ...(name ? { name } : {}) });
  await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer at bob');
  bob.service.accept(offer.id);
  await waitFor(() => bob.stateOf(offer.id) === 'complete' && alice.stateOf(offer.id) === 'complete', `transfer ${offer.id} complete on both sides`, 60_000);
  return { id: offer.id, finalPath: bob.service.get(offer.id)!.finalPath! };
}

describe('file transfer over real node-datachannel channels (FILE-01, FILE-02)', () => {
  it('FILE-01: 0 B, 1 B, exactly one chunk and one chunk + 1 arrive byte-identical, complete on both sides', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    for (const size of [0, 1, CHUNK, CHUNK + 1]) {
      const bytes = randomBytes(size);
      const { id, finalPath } = await sendAndAccept(alice, bob, sourceFile(alice, `f${size}.bin`, bytes));
      expect(readFileSync(finalPath).equals(bytes), `${size} bytes identical`).toBe(true);
      expect(finalPath).toBe(join(bob.downloads, `f${size}.bin`));
      const last = bob.events.progress.filter((p) => p.id === id).at(-1);
      expect(last).toMatchObject({ bytes: size, size, etaMs: 0 });
      // The sender may learn "complete" (over the link) before it reads the accept on the channel.
      expect(alice.events.stateChanged.filter((e) => e.id === id).at(-1)).toMatchObject({ state: 'complete' });
      expect(bob.events.stateChanged.filter((e) => e.id === id).map((e) => e.state)).toEqual(['accepted', 'complete']);
    }
    // Nothing but the finished files in the folder: no partial file is left behind.
    expect(readdirSync(bob.downloads).sort()).toEqual(['f0.bin', 'f1.bin', `f${CHUNK}.bin`, `f${CHUNK + 1}.bin`]);
  });

  it('FILE-01: a 32 MiB file streams with back-pressure, arrives byte-identical, with progress, speed and time left on both sides', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const bytes = randomBytes(32 * 1024 * 1024);
    const { id, finalPath } = await sendAndAccept(alice, bob, sourceFile(alice, 'big.bin', bytes));
    expect(createHash('sha256').update(readFileSync(finalPath)).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    for (const side of [alice, bob]) {
      const progress = side.events.progress.filter((p) => p.id === id);
      expect(progress.length, `${side.name} progress events`).toBeGreaterThan(2);
      expect(progress.some((p) => p.bytes > 0 && p.bytes < bytes.length && p.bytesPerSecond > 0 && p.etaMs !== null && p.etaMs > 0)).toBe(true);
      // Monotonic bytes.
      expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);
    }
  }, 120_000);

  it('FILE-01: two transfers and chat-like small frames on another channel at once: every chat frame is answered while the files flow, both files arrive intact', async () => {
    const { alice, bob } = twoSides();
    // Bob echoes every chat frame at once.
    await connectSides(alice, bob, (side, dc) => {
      dc.onClosed(() => {});
      dc.onMessage((m) => {
        if (side === bob && typeof m === 'string') dc.sendMessage(m);
      });
    });
    const chat = alice.pc!.createDataChannel('chat');
    const pongs: number[] = [];
    let sent = 0;
    let transfersDone = false;
    let pongsWhileFlowing = 0;
    const ping = (): void => {
      if (sent < 2000) chat.sendMessage(JSON.stringify({ n: ++sent }));
    };
    chat.onClosed(() => {});
    chat.onMessage((m) => {
      pongs.push((JSON.parse(String(m)) as { n: number }).n);
      if (!transfersDone) pongsWhileFlowing++;
      if (!transfersDone) ping();
    });
    await new Promise<void>((resolve) => {
      chat.onOpen(resolve);
      if (chat.isOpen()) resolve();
    });
    const one = randomBytes(16 * 1024 * 1024);
    const two = randomBytes(16 * 1024 * 1024);
    const [a, b] = await Promise.all([
      alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'one.bin', one) }),
      alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'two.bin', two) }),
    ]);
    await waitFor(() => bob.stateOf(a.id) === 'offered' && bob.stateOf(b.id) === 'offered', 'both offers');
    bob.service.accept(a.id);
    bob.service.accept(b.id);
    ping();
    await waitFor(() => bob.stateOf(a.id) === 'complete' && bob.stateOf(b.id) === 'complete', 'both transfers complete', 60_000);
    transfersDone = true;
    await waitFor(() => pongs.length === sent, 'every chat frame answered');
    expect(pongs).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    // Chat was not starved: round trips completed while the files were still flowing.
    expect(pongsWhileFlowing).toBeGreaterThan(1);
    expect(readFileSync(join(bob.downloads, 'one.bin')).equals(one)).toBe(true);
    expect(readFileSync(join(bob.downloads, 'two.bin')).equals(two)).toBe(true);
    chat.close();
  }, 120_000);

  it('FILE-01: a declined offer ends on both sides and nothing is written', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'no.txt', Buffer.from('no thanks')), caption: 'read this' });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    expect(bob.events.offerReceived[0]!.transfer).toMatchObject({ name: 'no.txt', size: 9, caption: 'read this', direction: 'in' });
    bob.service.decline(offer.id);
    await waitFor(() => alice.stateOf(offer.id) === 'declined', 'alice sees the decline');
    expect(alice.events.stateChanged.at(-1)).toMatchObject({ state: 'declined', by: 'peer' });
    expect(existsSync(bob.downloads)).toBe(false);
  });
});

describe('safe names in the downloads folder (FILE-03)', () => {
  it('FILE-03: malicious names land as safe names inside the folder; an existing file is never overwritten', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const payload = Buffer.from('#!/bin/sh\necho pwned\n');
    const src = sourceFile(alice, 'payload', payload);
    const names = ['../../.bashrc', '/etc/passwd', 'C:\\Windows\\evil.dll', 'CON', 'invoice\u202Efdp.exe', '..', 'same.txt', 'same.txt'];
    const landed: string[] = [];
    for (const name of names) landed.push((await sendAndAccept(alice, bob, src, name)).finalPath);
    expect(landed.map((p) => p.slice(bob.downloads.length + 1))).toEqual([
      '__.._.bashrc',
      '_etc_passwd',
      'C__Windows_evil.dll',
      '_CON',
      'invoicefdp.exe',
      '_',
      'same.txt',
      'same (2).txt',
    ]);
    for (const path of landed) {
      expect(readFileSync(path).equals(payload)).toBe(true);
      // Nothing received is executable.
      expect((await import('node:fs')).statSync(path).mode & 0o111).toBe(0);
    }
    expect(readdirSync(join(bob.downloads, '..'))).toEqual(['DiscordOpus']);
  });
});

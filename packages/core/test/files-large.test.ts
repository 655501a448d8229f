import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256OfFile, transferState, useFileTestServer, writePatternFile } from './harness/file-core';
import { mutualContactProfiles } from './harness/link-core';
import { waitFor } from './harness/server-process';

/**
 * A 200 MiB file between real cores (issue #13, FILE-01/FILE-02): real signaling server
 * process, real vaults, a real link on 127.0.0.1. The file is a pattern (one random MiB stamped
 * with its index), made and compared by streaming SHA-256, never held in memory.
 */
const MiB = 1024 * 1024;
const env = useFileTestServer();

describe('a large file between real cores (FILE-01, FILE-02)', () => {
  it('FILE-01: a 200 MiB file arrives byte-identical (streamed SHA-256), with progress to the last byte on both sides', { timeout: 300_000 }, async () => {
    const tmp = env.home('dop-files-large-');
    const { alice: a, bob: b } = await mutualContactProfiles();
    const alice = await env.startCore('Alice', { dir: a.dir, home: tmp, tunables: { progressIntervalMs: 250 } });
    const bob = await env.startCore('Bob', { dir: b.dir, home: tmp, tunables: { progressIntervalMs: 250 } });
    await waitFor(() => alice.vault.contacts.presenceOf(bob.hex) === 'online' && bob.vault.contacts.presenceOf(alice.hex) === 'online', 'online to each other');

    const size = 200 * MiB;
    const src = join(tmp, 'large.bin');
    const digest = writePatternFile(src, size, randomBytes(MiB));
    const t = await alice.root.offerFile(bob.hex, src);
    await waitFor(() => bob.offers.some((o) => o.id === t.id), 'bob has the offer');
    bob.root.acceptFile(t.id);
    await waitFor(() => transferState(bob, t.id) === 'complete' && transferState(alice, t.id) === 'complete', 'complete on both sides', 240_000);

    const finalPath = join(bob.downloads, 'large.bin');
    expect(statSync(finalPath).size).toBe(size);
    expect(await sha256OfFile(finalPath)).toBe(digest);
    expect(readdirSync(bob.downloads)).toEqual(['large.bin']);
    for (const side of [alice, bob]) {
      const mine = side.progress.filter((p) => p.id === t.id).map((p) => p.bytes);
      expect(mine.at(-1)).toBe(size);
      expect(mine.length).toBeGreaterThan(2); // progress along the way, not only at the end
    }
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileOffer } from '@discordopus/protocol/files';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import { openFilesVault } from './files-vault.test-helper';

/** FILE-01: files.list pages in SQL — a real SQLCipher vault, an injected clock that repeats timestamps. */
const roots: string[] = [];
const connections: { db: { close(): void } }[] = [];
afterEach(() => {
  for (const c of connections.splice(0)) c.db.close();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const PEER = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const idOf = (n: number) => Buffer.alloc(16, n).toString('base64url');
const offer = (n: number): FileOffer => ({
  type: 'file.offer', id: idOf(n), name: `f${n}.bin`, size: n, mime: 'application/octet-stream',
  sha256: Buffer.alloc(32, n).toString('base64url'), caption: null, preview: null, sentAt: n,
});

function store() {
  const root = mkdtempSync(join(tmpdir(), 'discordopus-page-'));
  roots.push(root);
  let now = 0;
  const connection = openFilesVault(join(root, 'v.db'), randomBytes(32));
  connections.push(connection);
  const s = new FileStore({ connection, now: () => now });
  return { s, setNow: (t: number) => (now = t) };
}

describe('FileStore.page (FILE-01)', () => {
  it('FILE-01: pages follow list order (newest first, ties by id), only the peer’s, and end with more=false', () => {
    const { s, setNow } = store();
    // Three transfers share a timestamp: the cursor must not skip or repeat any of them.
    const times = [10, 20, 20, 20, 30, 40, 50];
    times.forEach((t, i) => {
      setNow(t);
      s.addIncoming(PEER, offer(i + 1));
      s.addIncoming(OTHER, offer(i + 101));
    });
    const all = s.list({ peer: PEER }).map((r) => r.id);
    expect(all).toHaveLength(7);
    const seen: string[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: { records: { id: string }[]; more: boolean } = s.page(PEER, before, 2)!;
      seen.push(...page.records.map((r) => r.id));
      if (!page.more) break;
      before = page.records.at(-1)!.id;
    }
    expect(seen).toEqual(all);
    expect(s.page(PEER, null, 7)).toMatchObject({ more: false });
    expect(s.page(PEER, null, 6)).toMatchObject({ more: true });
  });

  it('FILE-01: a cursor of another peer, an unknown or a malformed one is refused (null)', () => {
    const { s } = store();
    s.addIncoming(PEER, offer(1));
    s.addIncoming(OTHER, offer(2));
    expect(s.page(PEER, idOf(2), 5)).toBeNull();
    expect(s.page(PEER, idOf(9), 5)).toBeNull();
    expect(s.page(PEER, 'not an id', 5)).toBeNull();
    expect(s.page(PEER, idOf(1), 5)).toEqual({ records: [], more: false });
  });
});

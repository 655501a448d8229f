import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@discordopus/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadStager } from './upload-stager';

/** The window's uploads on disk (FILE-01): a real folder in a temp dir, an injected clock and free-space probe. */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stager(options: { now?: () => number; freeBytes?: number; maxUploads?: number } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'discordopus-stager-'));
  dirs.push(root);
  const dir = join(root, 'outgoing');
  let n = 0;
  const s = new UploadStager({
    dir,
    now: options.now ?? (() => 0),
    logger: silentLogger,
    randomId: () => new Uint8Array(16).fill(++n),
    ...(options.maxUploads !== undefined ? { maxUploads: options.maxUploads } : {}),
    ...(options.freeBytes !== undefined ? { freeBytes: async () => options.freeBytes! } : {}),
  });
  return { s, dir };
}

const info = (size: number) => ({ publicKey: 'ab'.repeat(32), name: 'f.bin', size, mime: 'application/octet-stream', caption: null, preview: null });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (e: { code?: string }) => e.code ?? String(e),
  );
}

describe('UploadStager (FILE-01)', () => {
  it('FILE-01: a file that does not fit on the disk is refused before anything is written', async () => {
    const { s, dir } = stager({ freeBytes: 99 });
    expect(await codeOf(s.begin(info(100)))).toBe('UPLOAD_DISK_FULL');
    expect(readdirSync(dir)).toEqual([]);
    expect(await codeOf(s.begin(info(99)))).toBe('no error');
  });

  it('FILE-01: a second chunk sent before the first was written is refused as out of order', async () => {
    const { s } = stager();
    const id = await s.begin(info(8));
    const first = s.chunk(id, 0, new Uint8Array(4));
    expect(await codeOf(s.chunk(id, 0, new Uint8Array(4)))).toBe('UPLOAD_BAD_OFFSET');
    expect(await first).toBe(4);
    expect(await s.chunk(id, 4, new Uint8Array(4))).toBe(8);
    const { path } = await s.finish(id);
    expect(s.owns(path)).toBe(true);
    expect(s.owns('/etc/passwd')).toBe(false);
    await s.remove('/etc/passwd-does-not-exist');
  });

  it('FILE-01: an upload left idle for ten minutes gives its place (and its file) to a new one', async () => {
    let now = 0;
    const { s, dir } = stager({ now: () => now, maxUploads: 1 });
    const idle = await s.begin(info(10));
    expect(await codeOf(s.begin(info(10)))).toBe('UPLOAD_LIMIT');
    now = 10 * 60_000;
    expect(await codeOf(s.begin(info(10)))).toBe('UPLOAD_LIMIT');
    now = 10 * 60_000 + 1;
    const fresh = await s.begin(info(10));
    expect(readdirSync(dir)).toEqual([fresh]);
    expect(await codeOf(s.chunk(idle, 0, new Uint8Array(1)))).toBe('UPLOAD_NOT_FOUND');
  });
});

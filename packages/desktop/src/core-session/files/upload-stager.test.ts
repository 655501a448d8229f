import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, silentLogger } from '@discordopus/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadStager } from './upload-stager';

/** The window's uploads on disk (FILE-01): a real folder in a temp dir, an injected clock and free-space probe. */
const dirs: string[] = [];
const stagers: UploadStager[] = [];
afterEach(async () => {
  // Close every FileHandle before its folder goes (no DEP0137 "closing a FileHandle on garbage collection").
  for (const s of stagers.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type LogLine = { level: string; obj: object; msg?: string };

/** A logger that keeps what it is told (to show what a failure logs, and what it never logs). */
function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, ...(msg !== undefined ? { msg } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

function stager(options: { now?: () => number; freeBytes?: number; marginBytes?: number; maxUploads?: number; prepare?: (root: string) => void; logger?: Logger } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'discordopus-stager-'));
  dirs.push(root);
  options.prepare?.(root);
  const dir = join(root, 'outgoing');
  let n = 0;
  const s = new UploadStager({
    dir,
    now: options.now ?? (() => 0),
    logger: options.logger ?? silentLogger,
    randomId: () => new Uint8Array(16).fill(++n),
    ...(options.maxUploads !== undefined ? { maxUploads: options.maxUploads } : {}),
    ...(options.freeBytes !== undefined ? { freeBytes: async () => options.freeBytes!, marginBytes: options.marginBytes ?? 0 } : {}),
  });
  stagers.push(s);
  return { s, dir, root };
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

  it('FILE-01: an upload left idle for ten minutes is dropped (with its file) when another begins', async () => {
    let now = 0;
    const { s, dir } = stager({ now: () => now });
    const idle = await s.begin(info(10));
    now = 10 * 60_000;
    const second = await s.begin(info(10));
    expect(readdirSync(dir).sort()).toEqual([idle, second].sort());
    now = 10 * 60_000 + 1;
    const third = await s.begin(info(10));
    expect(readdirSync(dir).sort()).toEqual([second, third].sort());
    expect(await codeOf(s.chunk(idle, 0, new Uint8Array(1)))).toBe('UPLOAD_NOT_FOUND');
  });

  it('FILE-01: when every place is taken, the upload idle longest (over a minute: a reloaded window) gives its place up', async () => {
    let now = 0;
    const { s, dir } = stager({ now: () => now, maxUploads: 2 });
    const older = await s.begin(info(10));
    now = 1000;
    const newer = await s.begin(info(10));
    now = 60_000;
    expect(await codeOf(s.begin(info(10)))).toBe('UPLOAD_LIMIT');
    now = 61_001;
    const fresh = await s.begin(info(10));
    expect(readdirSync(dir).sort()).toEqual([newer, fresh].sort());
    expect(await codeOf(s.chunk(older, 0, new Uint8Array(1)))).toBe('UPLOAD_NOT_FOUND');
    // One that is still sending keeps its place.
    await s.chunk(newer, 0, new Uint8Array(1));
    expect(await codeOf(s.begin(info(10)))).toBe('UPLOAD_LIMIT');
  });

  it('FILE-01: five beginUpload calls at once get four places and one UPLOAD_LIMIT (the place is taken before any await)', async () => {
    const { s, dir } = stager({ maxUploads: 4 });
    const codes = await Promise.all(Array.from({ length: 5 }, () => codeOf(s.begin(info(10)))));
    expect(codes.filter((c) => c === 'UPLOAD_LIMIT')).toHaveLength(1);
    expect(codes.filter((c) => c === 'no error')).toHaveLength(4);
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('FILE-01: uploads at once share the free space: what the others will still write is reserved', async () => {
    const { s, dir } = stager({ freeBytes: 1500 });
    const codes = await Promise.all(Array.from({ length: 4 }, () => codeOf(s.begin(info(1000)))));
    expect(codes.sort()).toEqual(['UPLOAD_DISK_FULL', 'UPLOAD_DISK_FULL', 'UPLOAD_DISK_FULL', 'no error']);
    expect(readdirSync(dir)).toHaveLength(1);
    // One after another too: nothing is written yet, but the first one's 1000 bytes are spoken for.
    expect(await codeOf(s.begin(info(501)))).toBe('UPLOAD_DISK_FULL');
    expect(await codeOf(s.begin(info(500)))).toBe('no error');
  });

  it('FILE-01: a margin stays free for the vault on the same disk', async () => {
    const { s } = stager({ freeBytes: 1000, marginBytes: 400 });
    expect(await codeOf(s.begin(info(601)))).toBe('UPLOAD_DISK_FULL');
    expect(await codeOf(s.begin(info(600)))).toBe('no error');
  });

  it('FILE-01: the start-up sweep removes only regular files named like an upload ID, and keeps a copy the vault names by another path to the same folder', async () => {
    const ID = (c: string) => c.repeat(22);
    const { s, dir, root } = stager({
      prepare: (r) => {
        mkdirSync(join(r, 'outgoing'));
        for (const name of [ID('a'), ID('b'), 'notes.txt']) writeFileSync(join(r, 'outgoing', name), name);
        mkdirSync(join(r, 'outgoing', ID('c')));
        writeFileSync(join(r, 'elsewhere.txt'), 'keep me');
        symlinkSync(join(r, 'elsewhere.txt'), join(r, 'outgoing', ID('d')));
        symlinkSync(r, join(r, 'home-link'));
      },
    });
    // The vault stored ID('b') under the linked path of another run.
    expect(await s.sweep(new Set([join(root, 'home-link', 'outgoing', ID('b'))]))).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([ID('b'), ID('c'), ID('d'), 'notes.txt'].sort());
    expect(readFileSync(join(root, 'elsewhere.txt'), 'utf8')).toBe('keep me');
    expect(s.owns(join(root, 'home-link', 'outgoing', ID('b')))).toBe(true);
    expect(s.owns(join(dir, 'notes.txt'))).toBe(false);
  });

  it('FILE-01: an outgoing folder that is a symlink is never followed: nothing is swept there and no upload is staged', async () => {
    const ID = 'e'.repeat(22);
    const { s, root } = stager({
      prepare: (r) => {
        mkdirSync(join(r, 'bigger-disk'));
        writeFileSync(join(r, 'bigger-disk', ID), 'a received file');
        symlinkSync(join(r, 'bigger-disk'), join(r, 'outgoing'));
      },
    });
    expect(await s.sweep(new Set())).toBe(0);
    expect(readdirSync(join(root, 'bigger-disk'))).toEqual([ID]);
    expect(await codeOf(s.begin(info(1)))).toBe('UPLOAD_FAILED');
    expect(readdirSync(join(root, 'bigger-disk'))).toEqual([ID]);
  });

  it('FILE-01: a staging failure is logged with its error code only, never a path or the file name', async () => {
    const lines: LogLine[] = [];
    const { s, root } = stager({ logger: recordingLogger(lines), prepare: (r) => writeFileSync(join(r, 'outgoing'), 'a file where the folder goes') });
    expect(await codeOf(s.begin({ ...info(1), name: 'secret-plans.pdf' }))).toBe('UPLOAD_FAILED');
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toEqual({ code: expect.stringMatching(/^E[A-Z]+$/) });
    expect(JSON.stringify(lines)).not.toContain(root);
    expect(JSON.stringify(lines)).not.toContain('secret-plans');
  });
});

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { realpathSync } from 'node:fs';
import { type FileHandle, chmod, lstat, mkdir, open, readdir, rm, statfs } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger } from '@discordopus/core';
import { FILE_BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { FileBridgeError } from './file-bridge-error';

/** What the window said about the file when the upload began. */
export interface UploadInfo {
  publicKey: string;
  name: string;
  size: number;
  mime: string;
  caption: string | null;
  preview: { mime: 'image/jpeg' | 'image/png' | 'image/webp'; bytes: Uint8Array } | null;
}

interface Upload {
  info: UploadInfo;
  path: string;
  handle: FileHandle;
  received: number;
  /** A chunk is being written: the next one waits for the answer (in order, one at a time). */
  writing: boolean;
  lastActiveAt: number;
}

export interface UploadStagerOptions {
  /** The folder staged files live in: `<profile>/outgoing` (never a shared temp folder). */
  dir: string;
  now: () => number;
  logger: Logger;
  /** 16 random bytes for an upload ID. */
  randomId?: () => Uint8Array;
  /** An upload without a chunk this long is dropped when another one begins (after 1 minute when every place is taken). Default 10 minutes. */
  idleMs?: number;
  maxUploads?: number;
  /** Free bytes of the folder's file system (tests: a full disk). Default statfs. */
  freeBytes?: (dir: string) => Promise<number>;
  /**
   * Bytes always left free on that file system for the vault next to it (SQLCipher must keep
   * writing messages and acks). Default: 256 MiB or 5 % of the file system, whichever is more.
   */
  marginBytes?: number;
}

/** The name of a staged file: its upload ID (16 random bytes, base64url). */
const UPLOAD_ID = /^[A-Za-z0-9_-]{22}$/;

/** The same folder, also when one of the two paths goes through a symlink (a profile opened by another path). */
function sameFolder(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** The least space left free for the vault: 256 MiB (or 5 % of the file system when that is more). */
export const STAGING_MARGIN_BYTES = 256 * 1024 ** 2;

/**
 * The window's uploads (FILE-01): the window cannot name a file on disk, so it sends the bytes in
 * order and the desktop writes them to `<profile>/outgoing/<uploadId>` (folder 0700, file 0600,
 * created exclusively). The finished file is offered by the core from there and removed when the
 * transfer ends; files of aborted uploads go at once, leftovers at the next start.
 */
export class UploadStager {
  readonly #o: UploadStagerOptions;
  readonly #uploads = new Map<string, Upload>();
  /** Sizes of uploads that passed the checks and are still being set up (counted against the limit and the disk). */
  readonly #pending = new Set<{ size: number }>();
  readonly #dir: string;

  constructor(options: UploadStagerOptions) {
    this.#o = options;
    this.#dir = resolve(options.dir);
  }

  get dir(): string {
    return this.#dir;
  }

  /** Whether `path` is a staged file of this profile (so that it may be deleted). */
  owns(path: string | null): path is string {
    return path !== null && UPLOAD_ID.test(basename(path)) && sameFolder(dirname(path), this.#dir);
  }

  /** Uploads in progress (and being set up). */
  get count(): number {
    return this.#taken;
  }

  /** Abort every upload in progress to this contact (the contact was removed or blocked). */
  async abortFor(publicKey: string): Promise<void> {
    const ids = [...this.#uploads].filter(([, u]) => u.info.publicKey === publicKey).map(([id]) => id);
    await Promise.all(ids.map((id) => this.abort(id).catch(() => undefined)));
  }

  async begin(info: UploadInfo): Promise<string> {
    // Everything up to the reservation runs before the first await: concurrent calls see each other's place.
    if (info.size > FILE_BRIDGE_LIMITS.maxUploadBytes) throw FileBridgeError.tooLarge();
    const dropping = [this.#dropIdle(this.#o.idleMs ?? 10 * 60_000)];
    // All places taken: one left idle for a minute (a window reloaded mid-upload) gives its place up.
    if (this.#taken >= this.#max) dropping.push(this.#dropIdle(60_000, 1));
    if (this.#taken >= this.#max) throw FileBridgeError.limit();
    const place = { size: info.size };
    this.#pending.add(place);
    try {
      await Promise.all(dropping);
      try {
        await mkdir(this.#dir, { recursive: true, mode: 0o700 });
        await this.#checkFolder();
        await chmod(this.#dir, 0o700);
      } catch (err) {
        throw this.#failed(err);
      }
      // The bytes the other uploads will still write are not free any more, and the vault keeps its margin.
      const { free, margin } = await this.#space();
      if (free - this.#committedExcept(place) - margin < info.size) throw FileBridgeError.diskFull();
      const id = Buffer.from((this.#o.randomId ?? (() => randomBytes(16)))()).toString('base64url');
      const path = join(this.#dir, id);
      let handle: FileHandle;
      try {
        handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
      } catch (err) {
        throw this.#failed(err);
      }
      this.#uploads.set(id, { info, path, handle, received: 0, writing: false, lastActiveAt: this.#o.now() });
      this.#o.logger.debug({ size: info.size }, 'upload started');
      return id;
    } finally {
      this.#pending.delete(place);
    }
  }

  /** Write the next bytes; answers how many bytes are staged now. */
  async chunk(id: string, offset: number, bytes: Uint8Array): Promise<number> {
    const upload = this.#need(id);
    if (upload.writing || offset !== upload.received) throw FileBridgeError.badOffset(offset, upload.received);
    if (upload.received + bytes.length > upload.info.size) throw FileBridgeError.tooLarge();
    upload.writing = true;
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await upload.handle.write(bytes, written, bytes.length - written, offset + written);
        written += bytesWritten;
      }
    } catch (err) {
      await this.abort(id).catch(() => undefined);
      throw this.#failed(err);
    } finally {
      upload.writing = false;
    }
    upload.received += bytes.length;
    upload.lastActiveAt = this.#o.now();
    return upload.received;
  }

  /** Every byte is there: the staged file is closed and handed over (the caller removes it when done with it). */
  async finish(id: string): Promise<{ path: string; info: UploadInfo }> {
    const upload = this.#need(id);
    if (upload.writing) throw FileBridgeError.badOffset(upload.received, upload.received);
    if (upload.received !== upload.info.size) throw FileBridgeError.incomplete(upload.received, upload.info.size);
    this.#uploads.delete(id);
    try {
      await upload.handle.sync();
      await upload.handle.close();
    } catch (err) {
      await this.remove(upload.path);
      throw this.#failed(err);
    }
    return { path: upload.path, info: upload.info };
  }

  async abort(id: string): Promise<void> {
    const upload = this.#need(id);
    this.#uploads.delete(id);
    await upload.handle.close().catch(() => undefined);
    await this.remove(upload.path);
  }

  /** Delete a staged file (only one of this folder). */
  async remove(path: string): Promise<void> {
    if (!this.owns(path)) return;
    await rm(path, { force: true }).catch((err: unknown) => this.#o.logger.warn({ err }, 'a staged file could not be removed'));
  }

  /**
   * At start-up: remove the staged files no transfer still needs. Only regular files named like an
   * upload ID go (never a folder, a symlink or another name); `keep` (the paths the vault stored,
   * maybe from a run that reached the profile by another path) is compared by upload ID.
   */
  async sweep(keep: ReadonlySet<string>): Promise<number> {
    let names: string[];
    try {
      await this.#checkFolder();
      names = await readdir(this.#dir);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') this.#o.logger.warn({ code: (err as { code?: unknown }).code }, 'the staging folder was not cleaned up');
      return 0;
    }
    const kept = new Set([...keep].filter((p) => basename(dirname(p)) === 'outgoing').map((p) => basename(p)));
    const running = new Set([...this.#uploads.keys()]);
    let removed = 0;
    for (const name of names) {
      if (!UPLOAD_ID.test(name) || kept.has(name) || running.has(name)) continue;
      const path = join(this.#dir, name);
      const isFile = await lstat(path).then((st) => st.isFile(), () => false);
      if (!isFile) continue;
      await this.remove(path);
      removed += 1;
    }
    return removed;
  }

  /** The staging folder must be a real folder: a symlink (or anything else) there is refused, never followed. */
  async #checkFolder(): Promise<void> {
    const st = await lstat(this.#dir);
    if (!st.isDirectory()) throw Object.assign(new Error('the staging folder is not a folder'), { code: 'ENOTDIR' });
  }

  /** Drop every upload in progress (the profile closes). */
  async close(): Promise<void> {
    for (const id of [...this.#uploads.keys()]) await this.abort(id).catch(() => undefined);
  }

  #need(id: string): Upload {
    const upload = this.#uploads.get(id);
    if (upload === undefined) throw FileBridgeError.uploadNotFound();
    return upload;
  }

  /** Places taken: uploads in progress and those being set up. */
  get #taken(): number {
    return this.#uploads.size + this.#pending.size;
  }

  /** Bytes the other uploads (in progress or being set up) will still write. */
  #committedExcept(place: { size: number }): number {
    let bytes = 0;
    for (const u of this.#uploads.values()) bytes += u.info.size - u.received;
    for (const p of this.#pending) if (p !== place) bytes += p.size;
    return bytes;
  }

  /** A staging failure: logged with its errno code only (never a path or a file name). */
  #failed(err: unknown): FileBridgeError {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code).slice(0, 32) : 'unknown';
    this.#o.logger.warn({ code }, 'staging an upload failed');
    return FileBridgeError.failed(err);
  }

  get #max(): number {
    return this.#o.maxUploads ?? FILE_BRIDGE_LIMITS.maxUploads;
  }

  /**
   * Abort uploads without a chunk for longer than `idleMs`, the longest idle first, at most `count`.
   * Their places are freed at once (before the returned promise settles); their files go after.
   */
  #dropIdle(idleMs: number, count = Number.POSITIVE_INFINITY): Promise<unknown> {
    const now = this.#o.now();
    const idle = [...this.#uploads].filter(([, u]) => !u.writing && now - u.lastActiveAt > idleMs).sort(([, a], [, b]) => a.lastActiveAt - b.lastActiveAt);
    return Promise.all(idle.slice(0, count).map(([id]) => this.abort(id).catch(() => undefined)));
  }

  async #space(): Promise<{ free: number; margin: number }> {
    if (this.#o.freeBytes) return { free: await this.#o.freeBytes(this.#dir), margin: this.#o.marginBytes ?? STAGING_MARGIN_BYTES };
    try {
      const fs = await statfs(this.#dir);
      const margin = this.#o.marginBytes ?? Math.max(STAGING_MARGIN_BYTES, Math.ceil(fs.blocks * fs.bsize * 0.05));
      return { free: fs.bavail * fs.bsize, margin };
    } catch {
      return { free: Number.MAX_SAFE_INTEGER, margin: 0 };
    }
  }
}

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { FileTransferRecord } from '../../src/files/file-store';
import type { FileTunables } from '../../src/files/transfer-tunables';
import { shutdownLinkEngine } from '../../src/links/engine/ndc-transport';
import type { LinkTunables } from '../../src/links/link-options';
import { cleanupLinkCores } from './link-core';
import { type MessageCore, startMessageCore } from './message-core';
import { freePort, startServerProcess, type ServerProcess } from './server-process';

/**
 * A real client core with file transfers (FILE-01..03) for the file tests outside
 * files-integration.test.ts: the message core of `message-core.ts` with its downloads folder
 * under `home` and every file event recorded.
 */
export type FileCore = MessageCore & {
  offers: FileTransferRecord[];
  states: { id: string; state: string; by: string | null }[];
  progress: { id: string; direction: string; bytes: number }[];
  downloads: string;
};

export interface FileCoreOptions {
  dir?: string;
  home: string;
  tunables?: Partial<FileTunables>;
  links?: Partial<LinkTunables>;
}

export async function startFileCore(
  name: string,
  serverUrl: string,
  options: FileCoreOptions,
): Promise<FileCore> {
  const c = (await startMessageCore(name, serverUrl, {
    ...(options.dir ? { dir: options.dir } : {}),
    ...(options.links ? { links: options.links } : {}),
    files: { homeDir: options.home, tunables: { progressIntervalMs: 0, ...options.tunables } },
  })) as FileCore;
  c.offers = [];
  c.states = [];
  c.progress = [];
  c.downloads = join(options.home, `${name}-downloads`);
  c.vault.settings.set('files.downloadsDir', c.downloads);
  c.root.on('fileOffered', (e) => c.offers.push(e.transfer));
  c.root.on('fileStateChanged', (e) => c.states.push({ id: e.id, state: e.state, by: e.by }));
  c.root.on('fileProgress', (e) => c.progress.push({ id: e.id, direction: e.direction, bytes: e.bytes }));
  return c;
}

export const transferState = (c: MessageCore, id: string): string | undefined => c.root.transfers().find((t) => t.id === id)?.state;

/**
 * A file of `bytes` made fast and without holding it in memory: one random 1 MiB block written
 * again and again with its index stamped in front (no two blocks alike). Returns its SHA-256 (hex).
 */
export function writePatternFile(path: string, bytes: number, block: Buffer): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let at = 0, i = 0; at < bytes; at += block.length, i++) {
      block.writeUInt32BE(i, 0);
      const part = block.subarray(0, Math.min(block.length, bytes - at));
      writeSync(fd, part);
      hash.update(part);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** SHA-256 (hex) of a file, streamed. */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** What a file test file shares across its tests: one signaling server, the cores it started, its temp homes. */
export interface FileTestServer {
  /** The server's ws:// URL (set once beforeAll has run). */
  readonly url: string;
  /** Cores the test started; each is stopped after the test. */
  readonly cores: { stop(): void }[];
  /** Starts a file core on this server (startFileCore) and stops it after the test. */
  startCore(name: string, options: FileCoreOptions): Promise<FileCore>;
  /** A fresh temp folder (mkdtemp under the OS temp dir), removed after the test. */
  home(prefix: string): string;
}

/**
 * Registers the file tests' lifecycle (FILE-01..03): a real signaling server process (no offline
 * grace) for the whole file; after each test the cores stop, then `afterEachTest` runs (e.g. killing
 * child processes), then the temp homes go; after the file the server is killed, the link cores
 * cleaned up and the link engine shut down.
 */
export function useFileTestServer(options: { afterEachTest?: () => void | Promise<void> } = {}): FileTestServer {
  let server: ServerProcess | null = null;
  const cores: { stop(): void }[] = [];
  const homes: string[] = [];
  beforeAll(async () => {
    server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
  });
  afterEach(async () => {
    for (const c of cores.splice(0)) c.stop();
    await options.afterEachTest?.();
    for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.kill();
    cleanupLinkCores();
    await shutdownLinkEngine();
  });
  const url = (): string => {
    if (!server) throw new Error('useFileTestServer: the server starts in beforeAll; read url inside a test');
    return server.url;
  };
  return {
    get url(): string {
      return url();
    },
    cores,
    async startCore(name: string, coreOptions: FileCoreOptions): Promise<FileCore> {
      const c = await startFileCore(name, url(), coreOptions);
      cores.push(c);
      return c;
    },
    home(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      homes.push(dir);
      return dir;
    },
  };
}

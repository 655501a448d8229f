import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';

/** A fresh folder on the real file system, removed when the test ends. */
export function tempDir(prefix = 'dopus-vault-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file in a folder with its bytes (the folder is flat). */
export function snapshotFiles(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

/** The same file names with the same bytes (Buffer.equals: deep equality on megabytes is slow). */
export function expectSameFiles(before: Map<string, Buffer>, after: Map<string, Buffer>): void {
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [name, bytes] of before) expect(after.get(name)?.equals(bytes), `${name} changed`).toBe(true);
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/desktop/src/launcher/app-sources.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/**
 * What the built app is made from, relative to the repository root: the app's sources and
 * build configuration, the protocol sources it bundles (bridge schemas), and the lockfile.
 */
export const APP_BUILD_INPUTS: readonly string[] = [
  'packages/app/src',
  'packages/app/public',
  'packages/app/index.html',
  'packages/app/package.json',
  'packages/app/vite.config.ts',
  'packages/app/tsconfig.json',
  'packages/protocol/src',
  'packages/protocol/package.json',
  'package-lock.json',
];

/** The file in the built app that records which sources it was built from. */
export const BUILD_STAMP_FILE = '.discordopus-build-stamp';

/**
 * A SHA-256 over the path and content of every input file (tests excluded: they are not in the
 * bundle). Content, not modification times: a checkout or a copy changes times, not what is built.
 */
export function appSourcesFingerprint(root: string = REPO_ROOT, inputs: readonly string[] = APP_BUILD_INPUTS): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const input of inputs) collect(join(root, input), files);
  for (const file of files.sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function collect(path: string, into: string[]): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isFile()) {
    if (!/\.test\.tsx?$/.test(path)) into.push(path);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    collect(join(path, name), into);
  }
}

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_APP_DIR, builtAppDir } from '../bridge';
import { appSourcesFingerprint, BUILD_STAMP_FILE, REPO_ROOT } from './app-sources';

export interface EnsureAppBuiltOptions {
  /** The built app's folder (default packages/app/dist). */
  dir?: string;
  log: (line: string) => void;
  /** Tests: build into `dir` another way; returns whether it worked. */
  build?: () => boolean;
  /** Tests: the fingerprint of the app's sources now. */
  fingerprint?: () => string;
}

/**
 * The built app, building it first when `packages/app/dist` is missing (a fresh clone) or was
 * built from other sources than the ones checked out now (after a pull or an edit: issue 15,
 * item 4). The build records the sources' fingerprint in the folder. The build's output goes
 * to stderr so that stdout stays for the address to open. Returns null when the build failed
 * and nothing was built before: the bridge server then serves a page that says how to build it.
 */
export function ensureAppBuilt(options: EnsureAppBuiltOptions): string | null {
  const dir = options.dir ?? BUILT_APP_DIR;
  const fingerprint = (options.fingerprint ?? appSourcesFingerprint)();
  const existing = builtAppDir(dir);
  if (existing !== null && readStamp(dir) === fingerprint) return existing;
  options.log(
    existing === null
      ? 'Building the app (first launch; about half a minute)…'
      : 'The app’s sources changed since it was built: rebuilding it (about half a minute)…',
  );
  const ok = (options.build ?? buildApp)();
  if (!ok) {
    options.log('The app could not be built; run `npm run build:app` to see why.');
    if (existing !== null) options.log('Serving the app as it was last built.');
    return builtAppDir(dir);
  }
  if (builtAppDir(dir) !== null) writeFileSync(join(dir, BUILD_STAMP_FILE), `${fingerprint}\n`);
  return builtAppDir(dir);
}

function readStamp(dir: string): string | null {
  try {
    return readFileSync(join(dir, BUILD_STAMP_FILE), 'utf8').trim();
  } catch {
    return null;
  }
}

function buildApp(): boolean {
  const result = spawnSync('npm', ['run', 'build:app'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  return result.status === 0;
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUILT_APP_DIR, builtAppDir } from '../bridge';

const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/**
 * The built app, building it first when `packages/app/dist` is missing (a fresh clone). The
 * build's output goes to stderr so that stdout stays for the address to open. Returns null
 * when the build failed: the bridge server then serves a page that says how to build it.
 */
export function ensureAppBuilt(options: { dir?: string; log: (line: string) => void; build?: () => boolean }): string | null {
  const dir = options.dir ?? BUILT_APP_DIR;
  const existing = builtAppDir(dir);
  if (existing !== null) return existing;
  options.log('Building the app (first launch; about half a minute)…');
  const ok = (options.build ?? buildApp)();
  if (!ok) options.log('The app could not be built; run `npm run build:app` to see why.');
  return builtAppDir(dir);
}

function buildApp(): boolean {
  const result = spawnSync('npm', ['run', 'build:app'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  return result.status === 0;
}

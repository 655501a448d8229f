import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The Chromium-family browsers that can open an app window (`--app=URL`), in order of
 * preference. Electron cannot be installed on our build machines, so the desktop window is a
 * Chromium app window with its own profile directory.
 */
export const BROWSER_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
  'brave-browser',
] as const;

export interface FindBrowserOptions {
  /** An explicit path (flag or DISCORDOPUS_BROWSER); used as is when it is executable. */
  configuredPath: string | null;
  /** The PATH to search. */
  searchPath: string;
}

/** The first executable browser, or null when none is installed. */
export function findBrowser(options: FindBrowserOptions): string | null {
  if (options.configuredPath) return isExecutable(options.configuredPath) ? options.configuredPath : null;
  for (const dir of options.searchPath.split(delimiter)) {
    if (!dir) continue;
    for (const name of BROWSER_NAMES) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Arguments for an app window: no tabs or address bar, a profile directory of its own (so it
 * never mixes with the user's browsing), and nothing that phones home.
 */
export function appWindowArgs(url: string, userDataDir: string, extra: readonly string[] = []): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--window-size=1200,800',
    ...extra,
  ];
}

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

/** Where the window goes and how big it is (`npm run demo` puts two side by side). */
export interface AppWindowLayout {
  width: number;
  height: number;
  /** Top-left corner on the screen; null lets the window manager choose. */
  x: number | null;
  y: number | null;
}

export const DEFAULT_WINDOW_LAYOUT: AppWindowLayout = { width: 1200, height: 800, x: null, y: null };

/**
 * Arguments for an app window: no tabs or address bar, a profile directory of its own (so it
 * never mixes with the user's browsing), and nothing that phones home.
 */
export function appWindowArgs(url: string, userDataDir: string, layout: AppWindowLayout = DEFAULT_WINDOW_LAYOUT, extra: readonly string[] = []): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--window-size=${layout.width},${layout.height}`,
    ...(layout.x !== null && layout.y !== null ? [`--window-position=${layout.x},${layout.y}`] : []),
    ...extra,
  ];
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const APP_PACKAGE = fileURLToPath(new URL('../../../app', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../../artifacts/screenshots', import.meta.url));

/**
 * Client-core options for every e2e profile: direct links bind to 127.0.0.1 and use no built-in
 * public STUN server, so selecting a contact (which opens its link, P2P-01) never leaves loopback.
 */
export const LOOPBACK_LINKS = { defaultIceServers: [], links: { bindAddress: '127.0.0.1' } } as const;

/** Flags that work on Debian's chromium in containers and keep it off the network (ARCHITECTURE: choices). */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Build the current app sources into a folder of this run's own, so that the test never sees a
 * stale `packages/app/dist` and never races another build of it.
 */
export function buildAppForTest(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'discordopus-e2e-app-'));
  const vite = fileURLToPath(new URL('../../../../node_modules/.bin/vite', import.meta.url));
  const result = spawnSync(vite, ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: APP_PACKAGE, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(join(outDir, 'index.html'))) {
    throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  }
  return outDir;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** One app window: its own context (own sessionStorage), with every console error and page error kept. */
export interface AppPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

export async function openAppPage(browser: Browser, url: string): Promise<AppPage> {
  // A fresh window (empty storage): the screens before unlocking follow the emulated system scheme.
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, colorScheme: 'light' });
  // Generous bounds, far above what each step takes, so that a broken step fails quickly.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  return { context, page, problems };
}

/** Screenshots of what the tests saw, in light and dark (artifacts/ is git-ignored). */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator(scheme === 'dark' ? 'html.dark' : 'html:not(.dark)').waitFor({ state: 'attached' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

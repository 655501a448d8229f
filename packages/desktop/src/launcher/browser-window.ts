import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '@discordopus/core';
import { appWindowArgs, type AppWindowLayout } from './find-browser';

export interface BrowserExit {
  /** The exit code, or null when the process was killed by a signal or never started. */
  code: number | null;
  /** False when the browser could not be started at all. */
  started: boolean;
}

export interface AppWindow {
  /** Resolves when the browser process exits (the window was closed, or the browser handed it over). */
  readonly exited: Promise<BrowserExit>;
  close(): void;
}

/**
 * The app URL carries a one-time launch code. A command line is readable by every local user
 * (/proc/PID/cmdline), and one of them could spend the code before the window does; so the
 * browser is not given the URL itself but a page in the window's own folder (mode 0600 in a
 * 0700 folder) that forwards to it.
 */
export function writeLaunchPage(userDataDir: string, url: string): string {
  const path = join(userDataDir, 'launch.html');
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const html = `<!doctype html><meta charset="utf-8"><title>DiscordOpus</title><meta http-equiv="refresh" content="0;url=${attr}">\n`;
  writeFileSync(path, html, { mode: 0o600 });
  return pathToFileURL(path).href;
}

/** Open the app in a Chromium app window with its own profile folder. */
export function openAppWindow(options: { browser: string; url: string; userDataDir: string; layout?: AppWindowLayout; logger: Logger }): AppWindow {
  mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 });
  const launchUrl = writeLaunchPage(options.userDataDir, options.url);
  // Chromium refuses to start as root with its sandbox on; the window shows only our own page
  // under a strict CSP, so as root (containers) it runs without it, and says so.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) options.logger.warn({}, 'running as root: the browser window runs without its sandbox');
  const extra = asRoot ? ['--no-sandbox'] : [];
  const child = spawn(options.browser, appWindowArgs(launchUrl, options.userDataDir, options.layout, extra), {
    stdio: 'ignore',
    detached: false,
  });
  const exited = new Promise<BrowserExit>((resolve) => {
    child.once('exit', (code, signal) => {
      options.logger.info({ code, signal }, 'browser exited');
      resolve({ code, started: true });
    });
    child.once('error', (err) => {
      options.logger.warn({ err: err.message }, 'the browser could not be started');
      resolve({ code: null, started: false });
    });
  });
  return {
    exited,
    close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

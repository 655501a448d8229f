import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Logger } from '@discordopus/core';
import { appWindowArgs, type AppWindowLayout } from './find-browser';

export interface AppWindow {
  /** Resolves when the browser process exits (the window was closed, or the browser handed it over). */
  readonly exited: Promise<void>;
  close(): void;
}

/** Open the app in a Chromium app window with its own profile folder. */
export function openAppWindow(options: { browser: string; url: string; userDataDir: string; layout?: AppWindowLayout; logger: Logger }): AppWindow {
  mkdirSync(options.userDataDir, { recursive: true, mode: 0o700 });
  const child = spawn(options.browser, appWindowArgs(options.url, options.userDataDir, options.layout), {
    stdio: 'ignore',
    detached: false,
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      options.logger.info({ code, signal }, 'app window closed');
      resolve();
    });
    child.once('error', (err) => {
      options.logger.error({ err: err.message }, 'the browser could not be started');
      resolve();
    });
  });
  return {
    exited,
    close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

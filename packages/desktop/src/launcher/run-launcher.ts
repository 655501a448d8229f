import { dataHome } from '@discordopus/core';
import { DiscordOpusError } from '@discordopus/protocol';
import { builtAppDir } from '../bridge';
import { ensureAppBuilt } from './app-build';
import { consoleLogger } from './console-logger';
import { findBrowser } from './find-browser';
import { type LaunchedProfile, launchProfile, PRINTED_LAUNCH_CODE_TTL_MS } from './launch-profile';
import { LAUNCHER_USAGE, parseLauncherArgs, UsageError } from './launcher-args';
import { SharedEmbeddedServer } from './shared-embedded-server';

export interface LauncherIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Resolves on SIGINT/SIGTERM (injected so tests can stop the launcher). */
  stopRequested: Promise<string>;
  /** Tests: skip building the app. */
  appDir?: string | null;
}

/** Environment variable naming a built app to serve as it is (never built by the launcher). */
export const APP_DIR_ENV_VAR = 'DISCORDOPUS_APP_DIR';

function chooseAppDir(env: NodeJS.ProcessEnv, log: (line: string) => void): string | null {
  const configured = env[APP_DIR_ENV_VAR];
  if (configured) return builtAppDir(configured);
  return ensureAppBuilt({ log });
}

/** Printed under the addresses: each carries a one-time launch code. */
const ADDRESS_NOTE = `Each address opens one window, once, within ${PRINTED_LAUNCH_CODE_TTL_MS / 60_000} minutes.`;

/** `npm run demo`: two windows side by side, each this big: together 1,350 px, within a 1366 × 768 screen. */
export const DEMO_WINDOW = { width: 670, height: 720 };

/**
 * `discordopus`: open one profile in an app window (or, for `npm run demo`, several side by side
 * on one embedded server) and run until every window is closed or the process is told to stop;
 * then shut everything down cleanly. Never asks anything on the terminal: the window asks.
 * Resolves with the exit code.
 */
export async function runLauncher(io: LauncherIo, demoProfiles: readonly string[] | null = null): Promise<number> {
  let args;
  try {
    args = parseLauncherArgs(io.argv, io.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`${err.message}\n\n${LAUNCHER_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(LAUNCHER_USAGE);
    return 0;
  }
  const logger = consoleLogger(args.logLevel, io.stderr);
  const appDir = io.appDir !== undefined ? io.appDir : chooseAppDir(io.env, io.stderr);
  const browser = args.window ? findBrowser({ configuredPath: args.browser, searchPath: io.env.PATH ?? '' }) : null;
  if (args.window && args.browser !== null && browser === null) io.stderr(`The browser ${args.browser} is not an executable file.`);
  const embedded = args.embeddedServer
    ? new SharedEmbeddedServer({ port: args.embeddedPort, logger, home: dataHome({ ...(args.home !== null ? { home: args.home } : {}), env: io.env }) })
    : null;
  const names = demoProfiles ?? [args.profile];

  const launched: LaunchedProfile[] = [];
  const shutdown = async () => {
    for (const profile of launched) await profile.shutdown();
    await embedded?.close();
  };
  try {
    for (const [index, profile] of names.entries()) {
      launched.push(
        await launchProfile({
          profile,
          home: args.home,
          env: io.env,
          servers: args.servers,
          embedded,
          appDir,
          browser,
          logger,
          ...(names.length > 1 ? { layout: { ...DEMO_WINDOW, x: index * (DEMO_WINDOW.width + 10), y: 0 } } : {}),
        }),
      );
    }
  } catch (err) {
    await shutdown();
    const known = DiscordOpusError.from(err);
    io.stderr(`${known.code}: ${known === err ? known.message : String(err)}`);
    return 1;
  }

  // One message, said once, once it is true (issue 15 item 7): "open" only when the windows are
  // up; otherwise the addresses to open, and "Press Ctrl-C" a single time.
  const stopped = io.stopRequested.then(() => null);
  const ready = await Promise.race([Promise.all(launched.map((p) => p.windowReady)), stopped]);
  if (ready !== null) {
    if (ready.every(Boolean)) {
      const which = names.length === 1 ? `profile ${names[0]}` : `profiles ${names.join(' and ')}`;
      io.stdout(`DiscordOpus is open (${which}). Close ${names.length === 1 ? 'its window' : 'the windows'} to quit.`);
    } else {
      const waiting = launched.filter((_, i) => !ready[i]);
      if (args.window && browser === null) io.stdout('No Chromium-family browser was found (use --browser PATH or DISCORDOPUS_BROWSER).');
      else if (args.window) io.stdout(`The browser could not open ${waiting.length === 1 ? 'a window' : 'the windows'} (no display?).`);
      for (const profile of waiting) {
        io.stdout(`DiscordOpus is running (profile ${profile.profile}). Open this address in Chromium or Chrome on this computer:`);
        io.stdout(`  ${profile.issueAppUrl()}`);
      }
      io.stdout(ADDRESS_NOTE);
      io.stdout('Press Ctrl-C to quit.');
    }
  }

  const allClosed = Promise.all(launched.map((p) => p.windowClosed)).then(() => 'window closed');
  const reason = await Promise.race([allClosed, io.stopRequested]);
  logger.info({ reason }, 'shutting down');
  await shutdown();
  io.stdout('DiscordOpus stopped.');
  return 0;
}

import { DiscordOpusError } from '@discordopus/protocol';
import { builtAppDir } from '../bridge';
import { ensureAppBuilt } from './app-build';
import { consoleLogger } from './console-logger';
import { findBrowser } from './find-browser';
import { launchProfile } from './launch-profile';
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

/**
 * `discordopus`: open one profile in an app window and run until the window is closed or the
 * process is told to stop; then shut everything down cleanly. Never asks anything on the
 * terminal: the window asks. Resolves with the exit code.
 */
export async function runLauncher(io: LauncherIo): Promise<number> {
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
  const embedded = args.embeddedServer ? new SharedEmbeddedServer({ port: args.embeddedPort, logger }) : null;

  let launched;
  try {
    launched = await launchProfile({
      profile: args.profile,
      home: args.home,
      env: io.env,
      servers: args.servers,
      embedded,
      appDir,
      browser,
      logger,
    });
  } catch (err) {
    await embedded?.close();
    const known = DiscordOpusError.from(err);
    io.stderr(`${known.code}: ${known === err ? known.message : String(err)}`);
    return 1;
  }

  if (launched.window) {
    io.stdout(`DiscordOpus is open (profile ${args.profile}). Close its window to quit.`);
  } else {
    if (args.window) io.stdout('No Chromium-family browser was found (use --browser PATH or DISCORDOPUS_BROWSER).');
    io.stdout(`DiscordOpus is running (profile ${args.profile}). Open this address in Chromium or Chrome on this computer:`);
    io.stdout(`  ${launched.appUrl}`);
    io.stdout('Press Ctrl-C to quit.');
  }

  const reason = await Promise.race([launched.windowClosed.then(() => 'window closed'), io.stopRequested]);
  logger.info({ reason }, 'shutting down');
  await launched.shutdown();
  await embedded?.close();
  io.stdout('DiscordOpus stopped.');
  return 0;
}

import { join } from 'node:path';
import { type Logger, profileDir, type ScryptParams } from '@discordopus/core';
import { type BridgeServer, startBridgeServer } from '../bridge';
import { CoreSession } from '../core-session';
import { type AppWindow, openAppWindow } from './browser-window';
import { bridgeLoggerFrom } from './console-logger';
import type { AppWindowLayout } from './find-browser';
import { claimProfile } from './profile-claim';
import type { SharedEmbeddedServer } from './shared-embedded-server';
import { chooseSignaling } from './signaling-choice';

export interface LaunchProfileOptions {
  profile: string;
  home: string | null;
  env?: NodeJS.ProcessEnv;
  /** `--server`: the servers for this run, or empty. */
  servers: readonly string[];
  /** null: `--no-embedded-server`. */
  embedded: SharedEmbeddedServer | null;
  /** The built app, or null (the bridge then serves a page that says how to build it). */
  appDir: string | null;
  /** The browser to open the window with, or null to only serve (the caller prints the address). */
  browser: string | null;
  layout?: AppWindowLayout;
  logger: Logger;
  /** Tests: a cheap scrypt for new vaults. */
  kdf?: ScryptParams;
  /** Tests: network options such as a fast reconnect policy. */
  network?: ConstructorParameters<typeof CoreSession>[0]['network'];
  /** Tests: record "Open folder" (FILE-03) instead of starting the platform's file manager. */
  openFolder?: ConstructorParameters<typeof CoreSession>[0]['openFolder'];
}

export interface LaunchedProfile {
  readonly profile: string;
  readonly dir: string;
  readonly session: CoreSession;
  readonly bridge: BridgeServer;
  /**
   * A new address of the page for a person to open (printed when there is no window): it carries
   * a one-time launch code, valid once for PRINTED_LAUNCH_CODE_TTL_MS.
   */
  issueAppUrl(): string;
  /** Whether a window was opened. */
  readonly window: boolean;
  /** Resolves when the user closed the window (never, when no window was opened). */
  readonly windowClosed: Promise<void>;
  /**
   * Resolves true once the window is up (it connected to the bridge, or the browser handed it to
   * a browser already running), false when it could not be opened or none was asked for.
   */
  readonly windowReady: Promise<boolean>;
  /** Close the window, stop the network, close the vault and the bridge. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * The composition root of one profile in the launcher (UI-01): a CoreSession on the profile
 * folder, the bridge server serving the app to it, and the app window. The signaling servers
 * are decided once the profile is open (`chooseSignaling`).
 */
/** How long a printed address stays valid: time to copy it into a browser. */
export const PRINTED_LAUNCH_CODE_TTL_MS = 10 * 60_000;

export async function launchProfile(options: LaunchProfileOptions): Promise<LaunchedProfile> {
  const dir = profileDir({ profile: options.profile, home: options.home ?? undefined, ...(options.env ? { env: options.env } : {}) });
  const logger = options.logger.child({ profile: options.profile });
  // Before anything else: a second launcher on an open profile stops here (PROFILE_IN_USE).
  const claim = claimProfile({ profile: options.profile, dir });
  try {
    return await launchClaimed(options, dir, logger, claim.release);
  } catch (err) {
    claim.release();
    throw err;
  }
}

async function launchClaimed(options: LaunchProfileOptions, dir: string, logger: Logger, releaseClaim: () => void): Promise<LaunchedProfile> {
  let embeddedInUse = false;
  const session = new CoreSession({
    profileName: options.profile,
    dir,
    logger,
    ...(options.kdf ? { kdf: options.kdf } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(options.openFolder ? { openFolder: options.openFolder } : {}),
    signalingOverride: async (vault) => {
      const choice = chooseSignaling({
        serverFlag: options.servers,
        embeddedServer: options.embedded !== null,
        profileUrls: vault.settings.get('network.signalingUrls'),
      });
      logger.info({ signaling: choice.kind }, 'signaling servers chosen');
      if (choice.kind === 'flag') return choice.urls;
      if (choice.kind === 'embedded' && options.embedded !== null) {
        embeddedInUse = true;
        return [await options.embedded.url()];
      }
      return null;
    },
    signalingNote: () => (embeddedInUse ? (options.embedded?.note ?? null) : null),
  });
  const bridge = await startBridgeServer({ handlers: session.handlers, appDir: options.appDir, logger: bridgeLoggerFrom(logger) });
  session.onEvent((event, payload) => bridge.emit(event, payload));

  let window: AppWindow | null = null;
  let windowClosed: Promise<void> = new Promise<void>(() => {});
  let settleReady: (ready: boolean) => void = () => {};
  const windowReady = new Promise<boolean>((resolve) => (settleReady = resolve));
  if (options.browser === null) settleReady(false);
  else {
    let everConnected = false;
    const off = bridge.onConnectionCountChanged((count) => {
      if (count === 0) return;
      everConnected = true;
      settleReady(true);
    });
    const opened = openAppWindow({
      browser: options.browser,
      url: bridge.issueAppUrl(),
      userDataDir: join(dir, 'window'),
      ...(options.layout ? { layout: options.layout } : {}),
      logger,
    });
    window = opened;
    windowClosed = opened.exited.then(async (exit) => {
      off();
      if (!everConnected && bridge.connectionCount === 0 && (!exit.started || exit.code !== 0)) {
        logger.warn({ code: exit.code }, 'the app window could not be opened');
        settleReady(false);
        return new Promise<void>(() => {});
      }
      settleReady(true);
      return untilNoWindows(bridge);
    });
  }

  let shuttingDown: Promise<void> | null = null;
  const launched: LaunchedProfile = {
    profile: options.profile,
    dir,
    session,
    bridge,
    issueAppUrl: () => bridge.issueAppUrl(PRINTED_LAUNCH_CODE_TTL_MS),
    window: window !== null,
    windowClosed,
    windowReady,
    shutdown() {
      shuttingDown ??= (async () => {
        window?.close();
        await session.close();
        await bridge.close();
        releaseClaim();
        logger.info({}, 'profile shut down');
      })();
      return shuttingDown;
    },
  };
  return launched;
}

/**
 * The browser process is gone. Normally its window went with it; but when a browser was
 * already running on the same profile folder it took the window over and exited at once, so
 * wait for the last connected window to leave.
 */
function untilNoWindows(bridge: BridgeServer): Promise<void> {
  if (bridge.connectionCount === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const off = bridge.onConnectionCountChanged((count) => {
      if (count > 0) return;
      off();
      resolve();
    });
  });
}

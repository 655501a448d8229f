import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { shutdownLinkEngine, silentLogger, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { startSignalingServer, type RunningServer } from '@discordopus/server';
import type { Browser, Page } from 'playwright-core';
import { launchProfile, type LaunchedProfile, type LaunchProfileOptions } from '../../src/launcher/launch-profile';
import { removeTempHomes, tempHome } from '../helpers/sessions';
import { type AppPage, buildAppForTest, launchChromium, LOOPBACK_LINKS, openAppPage } from './e2e-support';

type ServerConfig = Parameters<typeof startSignalingServer>[0];
type Network = NonNullable<LaunchProfileOptions['network']>;

export interface E2eRigOptions {
  /** More signaling-server configuration (TURN, …); host, port and logging are set here. */
  server?: Partial<ServerConfig>;
}

/**
 * What every two-window e2e file sets up the same way (CONVENTIONS 9): the app built from the
 * current sources, one real signaling server on 127.0.0.1, one headless Chromium, and profiles
 * launched exactly as the launcher does (loopback-only links by default), each opened in a
 * window of its own. `close()` releases all of it.
 */
export class E2eRig {
  readonly appDir: string;
  #server: RunningServer;
  readonly #serverConfig: ServerConfig;
  readonly browser: Browser;
  readonly home: string;
  readonly profiles: LaunchedProfile[] = [];
  readonly windows: AppPage[] = [];
  /** FILE-03: every "Open folder" a profile asked for (the platform's file manager is never started here). */
  readonly openedFolders: { profile: string; dir: string }[] = [];

  private constructor(appDir: string, server: RunningServer, serverConfig: ServerConfig, browser: Browser) {
    this.appDir = appDir;
    this.#server = server;
    this.#serverConfig = serverConfig;
    this.browser = browser;
    this.home = tempHome();
  }

  static async start(options: E2eRigOptions = {}): Promise<E2eRig> {
    const appDir = buildAppForTest();
    const config: ServerConfig = { host: '127.0.0.1', port: 0, offlineGraceMs: 0, logLevel: 'silent', ...options.server };
    const server = await startSignalingServer(config, { processMetrics: false });
    const browser = await launchChromium();
    return new E2eRig(appDir, server, config, browser);
  }

  get server(): RunningServer {
    return this.#server;
  }

  /** Stop the signaling server, then start it again on the same port (an outage the clients recover from). */
  async restartServer(whileDown: () => Promise<void>): Promise<void> {
    const { port } = this.#server;
    await this.#server.close();
    await whileDown();
    this.#server = await startSignalingServer({ ...this.#serverConfig, port }, { processMetrics: false });
  }

  /** Launch a profile of this rig's home (again, after a restart) without opening a window. */
  async launch(profile: string, network: Network = LOOPBACK_LINKS): Promise<LaunchedProfile> {
    const launched = await launchProfile({
      profile,
      home: this.home,
      servers: [this.server.url],
      embedded: null,
      appDir: this.appDir,
      browser: null,
      logger: silentLogger,
      kdf: TEST_ONLY_CHEAP_SCRYPT,
      // FILE-03: each profile's default downloads folder is under its own home in the rig's temp folder.
      network: { ...network, files: { homeDir: this.homeOf(profile), ...network.files } },
      openFolder: async (dir) => {
        this.openedFolders.push({ profile, dir });
      },
    });
    this.profiles.push(launched);
    return launched;
  }

  /** The home folder a profile's defaults live under (its downloads folder: `downloadsDir`). */
  homeOf(profile: string): string {
    return join(this.home, 'homes', profile);
  }

  /** FILE-03: where a profile's received files land unless its settings say otherwise. */
  downloadsDir(profile: string): string {
    return join(this.homeOf(profile), 'Downloads', 'DiscordOpus');
  }

  /** Launch a profile and open its window. */
  async open(profile: string, network?: Network): Promise<Page> {
    const launched = await this.launch(profile, network);
    const window = await openAppPage(this.browser, launched.issueAppUrl());
    this.windows.push(window);
    return window.page;
  }

  /** Every console error and page error any window reported. */
  problems(): string[] {
    return this.windows.flatMap((w) => w.problems);
  }

  async close(): Promise<void> {
    await this.browser.close();
    for (const p of this.profiles) await p.shutdown();
    await this.#server.close();
    await shutdownLinkEngine();
    removeTempHomes();
    rmSync(this.appDir, { recursive: true, force: true });
  }
}

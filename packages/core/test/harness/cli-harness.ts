import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { main } from '../../src/cli/cli';
import type { CliContext } from '../../src/cli/commands';
import { shutdownLinkEngine } from '../../src/links/engine/ndc-transport';
import { TEST_ONLY_CHEAP_SCRYPT } from '../../src/vault/kdf';
import type { Vault } from '../../src/vault/vault';
import { cleanupLinkCores } from './link-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './server-process';

const PASS = 'correct horse battery staple';
const LOOPBACK: CliContext['clientOptions'] = { defaultIceServers: [], links: { bindAddress: '127.0.0.1' } };

/** The in-process contact: a started core with its vault. */
export interface CliContact {
  vault: Vault;
  stop(): void;
}

export interface CliRunResult {
  code: number;
  out: string;
  err: string;
  lines: Record<string, unknown>[];
}

export interface CliHarnessOptions<C extends CliContact> {
  /** Prefix of the temp folder that holds the CLI profile. */
  tempPrefix: string;
  /** Starts the in-process contact "Bob" against the server. */
  startCore: (name: string, serverUrl: string) => Promise<C>;
  /** The user ID of a started core. */
  userIdOf: (core: C) => string;
}

export interface CliHarness<C extends CliContact> {
  /** The URL of the real signaling server process (started in beforeAll). */
  serverUrl: () => string;
  /** Stop this core after the current test. */
  track: (core: C) => void;
  /** Run the CLI; `stopWhen` plays Ctrl-C once the output so far satisfies it (null: never). */
  run: (home: string, args: string[], stopWhen?: ((out: string) => boolean) | null) => Promise<CliRunResult>;
  /** A CLI profile "Alice" pointed at the test server, and a running core "Bob", mutual contacts. */
  aliceAndBob: () => Promise<{ home: string; aliceId: string; bob: C }>;
}

/**
 * Set-up shared by the CLI tests (cli-files, cli-messages, cli-link): registers the vitest hooks
 * that start a real signaling server process (no offline grace) and clean up homes, cores and the
 * link engine; runs the CLI as it runs (main() with its own streams), with ICE on 127.0.0.1.
 * Call once at the top level of a test file.
 */
export function useCliHarness<C extends CliContact>(options: CliHarnessOptions<C>): CliHarness<C> {
  let server: ServerProcess;
  const homes: string[] = [];
  const cores: C[] = [];

  beforeAll(async () => {
    server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
  });

  afterEach(() => {
    for (const c of cores.splice(0)) c.stop();
    for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
  });

  afterAll(async () => {
    await server.kill();
    cleanupLinkCores();
    await shutdownLinkEngine();
  });

  async function run(home: string, args: string[], stopWhen: ((out: string) => boolean) | null = null): Promise<CliRunResult> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    const code = await main(['--home', home, ...args], {
      env: { DISCORDOPUS_PASSPHRASE: PASS },
      stdout,
      stderr,
      kdf: TEST_ONLY_CHEAP_SCRYPT,
      clientOptions: LOOPBACK,
      untilStopped: stopWhen ? () => waitFor(() => stopWhen(out), 'the output wanted', 20_000) : () => new Promise(() => {}),
    });
    return { code, out, err, lines: out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  async function aliceAndBob(): Promise<{ home: string; aliceId: string; bob: C }> {
    const home = mkdtempSync(join(tmpdir(), options.tempPrefix));
    homes.push(home);
    const created = await run(home, ['--json', 'create', '--name', 'Alice']);
    const { userId: aliceId } = JSON.parse(created.out) as { userId: string };
    expect((await run(home, ['server', server.url])).code).toBe(0);
    const bob = await options.startCore('Bob', server.url);
    cores.push(bob);
    expect((await run(home, ['add', options.userIdOf(bob), '--nickname', 'Bobby'])).code).toBe(0);
    bob.vault.contacts.add(aliceId);
    return { home, aliceId, bob };
  }

  return { serverUrl: () => server.url, track: (c) => cores.push(c), run, aliceAndBob };
}

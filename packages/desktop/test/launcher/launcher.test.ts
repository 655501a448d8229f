import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { afterEach, describe, expect, it } from 'vitest';
import { launchProfile } from '../../src/launcher/launch-profile';
import { runLauncher } from '../../src/launcher/run-launcher';
import { SharedEmbeddedServer } from '../../src/launcher/shared-embedded-server';
import { probePort } from '../../src/launcher/embedded-server';
import { FAST_RECONNECT, removeTempHomes, tempHome } from '../helpers/sessions';
import { waitUntil } from '../helpers/wait';

const BIN = fileURLToPath(new URL('../../bin/discordopus.mjs', import.meta.url));
const PASSPHRASE = 'purple tiger drinks tea';

afterEach(() => removeTempHomes());

/** A stand-in browser: records its arguments and exits at once, as if the window was closed. */
function fakeBrowser(dir: string, exitCode = 0): { path: string; args: () => string[] } {
  const path = join(dir, 'fake-browser.sh');
  const record = join(dir, 'browser-args.txt');
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do echo "$a" >> '${record}'; done\nexit ${exitCode}\n`);
  chmodSync(path, 0o755);
  return { path, args: () => readFileSync(record, 'utf8').trim().split('\n') };
}

describe('the launcher (UI-01)', () => {
  it('opens the app window on the profile and shuts down cleanly when the window closes', async () => {
    const home = tempHome();
    const browser = fakeBrowser(home);
    const out: string[] = [];
    const code = await runLauncher({
      argv: ['--profile', 'alice', '--home', home, '--browser', browser.path, '--embedded-port', '0'],
      env: {},
      stdout: (line) => out.push(line),
      stderr: () => {}, // warnings (e.g. running as root) are not part of what the user reads on stdout
      stopRequested: new Promise(() => {}),
      appDir: null,
    });
    expect(code).toBe(0);
    expect(out).toEqual(['DiscordOpus is open (profile alice). Close its window to quit.', 'DiscordOpus stopped.']);
    const args = browser.args();
    // The browser gets a forwarding page, not the address with its one-time code (command lines are public).
    const windowDir = join(home, 'profiles', 'alice', 'window');
    expect(args.find((a) => a.startsWith('--app='))).toBe(`--app=file://${join(windowDir, 'launch.html')}`);
    expect(args.join(' ')).not.toMatch(/code=/);
    expect(readFileSync(join(windowDir, 'launch.html'), 'utf8')).toMatch(/url=http:\/\/127\.0\.0\.1:\d+\/#code=[0-9a-f]{64}"/);
    expect(args).toContain(`--user-data-dir=${windowDir}`);
  });

  it('npm run demo: opens alice and bob side by side and stops when both windows are closed', async () => {
    const home = tempHome();
    const browser = fakeBrowser(home);
    const out: string[] = [];
    const code = await runLauncher(
      {
        argv: ['--home', home, '--browser', browser.path, '--embedded-port', '0'],
        env: {},
        stdout: (line) => out.push(line),
        stderr: () => {}, // warnings (e.g. running as root) are not part of what the user reads on stdout
        stopRequested: new Promise(() => {}),
        appDir: null,
      },
      ['alice', 'bob'],
    );
    expect(code).toBe(0);
    expect(out).toEqual(['DiscordOpus is open (profiles alice and bob). Close the windows to quit.', 'DiscordOpus stopped.']);
    const args = browser.args();
    expect(args).toEqual(expect.arrayContaining(['--window-position=0,0', '--window-position=680,0', '--window-size=670,720']));
    // Issue 15 item 15: the two windows fit side by side on a 1366 × 768 screen.
    const right = Math.max(...args.filter((a) => a.startsWith('--window-position=')).map((a) => Number(a.split('=')[1]?.split(',')[0])));
    expect(right + 670).toBeLessThanOrEqual(1366);
    expect(args).toEqual(expect.arrayContaining([`--user-data-dir=${join(home, 'profiles', 'alice', 'window')}`, `--user-data-dir=${join(home, 'profiles', 'bob', 'window')}`]));
  });

  it('prints the address when the browser cannot open a window (no display), and keeps running', async () => {
    const home = tempHome();
    const browser = fakeBrowser(home, 1);
    const out: string[] = [];
    let stop: (signal: string) => void = () => {};
    const running = runLauncher({
      argv: ['--home', home, '--browser', browser.path, '--embedded-port', '0'],
      env: {},
      stdout: (line) => out.push(line),
      stderr: () => {}, // warnings (e.g. running as root) are not part of what the user reads on stdout
      stopRequested: new Promise((resolve) => (stop = resolve)),
      appDir: null,
    });
    await waitUntil(() => out.includes('Press Ctrl-C to quit.'), 'the address');
    expect(out.filter((l) => !l.includes('#code='))).toEqual([
      'The browser could not open a window (no display?).',
      'DiscordOpus is running (profile default). Open this address in Chromium or Chrome on this computer:',
      'Each address opens one window, once, within 10 minutes.',
      'Press Ctrl-C to quit.',
    ]);
    const url = out.find((l) => l.includes('#code='))?.trim() ?? '';
    expect((await fetch(url.split('#')[0] ?? '')).status).toBe(200);
    stop('SIGINT');
    expect(await running).toBe(0);
  });

  it('issue 15 item 7: without a display the demo says it once: no "is open", both addresses, one "Press Ctrl-C"', async () => {
    const home = tempHome();
    const browser = fakeBrowser(home, 1);
    const out: string[] = [];
    let stop: (signal: string) => void = () => {};
    const running = runLauncher(
      {
        argv: ['--home', home, '--browser', browser.path, '--embedded-port', '0'],
        env: {},
        stdout: (line) => out.push(line),
        stderr: () => {},
        stopRequested: new Promise((resolve) => (stop = resolve)),
        appDir: null,
      },
      ['alice', 'bob'],
    );
    await waitUntil(() => out.includes('Press Ctrl-C to quit.'), 'the addresses');
    expect(out.filter((l) => !l.includes('#code='))).toEqual([
      'The browser could not open the windows (no display?).',
      'DiscordOpus is running (profile alice). Open this address in Chromium or Chrome on this computer:',
      'DiscordOpus is running (profile bob). Open this address in Chromium or Chrome on this computer:',
      'Each address opens one window, once, within 10 minutes.',
      'Press Ctrl-C to quit.',
    ]);
    expect(out.filter((l) => l.includes('#code='))).toHaveLength(2);
    stop('SIGINT');
    expect(await running).toBe(0);
    expect(out.at(-1)).toBe('DiscordOpus stopped.');
    expect(out.filter((l) => /is open|Press Ctrl-C/.test(l))).toEqual(['Press Ctrl-C to quit.']);
  });

  it('prints the address with its one-time code when there is no window, and stops on a signal', async () => {
    const home = tempHome();
    const out: string[] = [];
    let stop: (signal: string) => void = () => {};
    const running = runLauncher({
      argv: ['--home', home, '--no-window'],
      env: {},
      stdout: (line) => out.push(line),
      stderr: (line) => out.push(line),
      stopRequested: new Promise((resolve) => (stop = resolve)),
      appDir: null,
    });
    await waitUntil(() => out.some((l) => l.includes('#code=')), 'the address');
    const url = out.find((l) => l.includes('#code='))?.trim() ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#code=[0-9a-f]{64}$/);
    expect(out).toContain('Each address opens one window, once, within 10 minutes.');
    expect((await fetch(url.split('#')[0] ?? '')).status).toBe(200);
    stop('SIGTERM');
    expect(await running).toBe(0);
    await expect(fetch(url.split('#')[0] ?? '')).rejects.toThrow();
  });

  it('starts the embedded server once a fresh profile is created, and stops it with the profile', async () => {
    const home = tempHome();
    const embedded = new SharedEmbeddedServer({ port: 0, logger: silentLogger, home: null });
    const launched = await launchProfile({
      profile: 'alice',
      home,
      servers: [],
      embedded,
      appDir: null,
      browser: null,
      logger: silentLogger,
      kdf: TEST_ONLY_CHEAP_SCRYPT,
      network: { policy: FAST_RECONNECT },
    });
    expect(embedded.started).toBe(false);
    await launched.session.handlers['profile.create']({ displayName: 'Alice', passphrase: PASSPHRASE });
    await waitUntil(async () => (await launched.session.handlers['connection.state']({})).state === 'connected', 'connected to the embedded server');
    const url = launched.session.signalingUrls?.[0] ?? '';
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    await launched.shutdown();
    await embedded.close();
    expect(launched.session.vault).toBeNull();
    expect(await probePort(Number(new URL(url).port))).toBe('free');
  });

  it('the discordopus command prints its address without a window and exits 0 on SIGTERM', async () => {
    const home = tempHome();
    const child = spawn(process.execPath, [BIN, '--home', home, '--no-window', '--embedded-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // An empty app folder: this test is about the process, not the page (and never builds the app).
      env: { ...process.env, DISCORDOPUS_APP_DIR: home },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitUntil(() => stdout.includes('#code='), 'the address on stdout', 20_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('DiscordOpus stopped.');
  });

  it('a second launch of an open profile stops at once and names the process that has it; no window is opened (VAULT-04, issue 15 item 1)', async () => {
    const home = tempHome();
    const first = spawn(process.execPath, [BIN, '--home', home, '--no-window', '--embedded-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISCORDOPUS_APP_DIR: home },
    });
    let firstOut = '';
    first.stdout.on('data', (chunk: Buffer) => (firstOut += chunk.toString()));
    const firstExited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    try {
      // Still at the unlock screen (no vault open yet): the profile is claimed from launch.
      await waitUntil(() => firstOut.includes('#code='), 'the first launcher is running', 20_000);
      for (const windowArgs of [['--browser', fakeBrowser(home).path], ['--no-window']]) {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runLauncher({
          argv: ['--home', home, '--embedded-port', '0', ...windowArgs],
          env: {},
          stdout: (line) => out.push(line),
          stderr: (line) => err.push(line),
          stopRequested: new Promise(() => {}),
          appDir: null,
        });
        expect(code).toBe(1);
        expect(out).toEqual([]);
        expect(err.join('\n')).toMatch(new RegExp(`^PROFILE_IN_USE: Profile default is already open in another DiscordOpus \\(process ${first.pid},`));
        expect(err.join('\n')).toMatch(/Use that window, or quit it/);
      }
      expect(existsSync(join(home, 'browser-args.txt'))).toBe(false);
    } finally {
      first.kill('SIGTERM');
    }
    expect(await firstExited).toBe(0);
    // Once the first one quit, the profile opens again.
    const out: string[] = [];
    let stop: (signal: string) => void = () => {};
    const again = runLauncher({
      argv: ['--home', home, '--no-window', '--embedded-port', '0'],
      env: {},
      stdout: (line) => out.push(line),
      stderr: () => {},
      stopRequested: new Promise((resolve) => (stop = resolve)),
      appDir: null,
    });
    await waitUntil(() => out.some((l) => l.includes('#code=')), 'the address');
    stop('SIGTERM');
    expect(await again).toBe(0);
  });
});

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@discordopus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchProfile, type LaunchedProfile } from '../../src/launcher/launch-profile';
import { removeTempHomes, tempHome } from '../helpers/sessions';
import { waitUntil } from '../helpers/wait';
import { buildAppForTest, CHROMIUM } from './e2e-support';

/**
 * The launcher with a real browser: Debian's chromium, headless, opened by the launcher exactly
 * as a window would be (`--app=` its forwarding page, its own user-data-dir), through a wrapper that adds the
 * headless flags and records the browser's process id.
 */
let appDir: string;
let home: string;
const launched: LaunchedProfile[] = [];

function headlessBrowser(): { path: string; pid: () => number } {
  const path = join(home, 'headless-chromium.sh');
  const pidFile = join(home, 'browser.pid');
  writeFileSync(path, `#!/bin/sh\necho $$ > '${pidFile}'\nexec ${CHROMIUM} --headless --no-sandbox --disable-gpu --disable-quic "$@"\n`);
  chmodSync(path, 0o755);
  return { path, pid: () => Number(readFileSync(pidFile, 'utf8').trim()) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function launchWithWindow(profile: string, browser: string): Promise<LaunchedProfile> {
  const p = await launchProfile({ profile, home, servers: [], embedded: null, appDir, browser, logger: silentLogger });
  launched.push(p);
  await waitUntil(() => p.bridge.connectionCount === 1, 'the window connected to the bridge', 20_000);
  return p;
}

beforeAll(() => {
  appDir = buildAppForTest();
  home = tempHome();
}, 120_000);

afterAll(async () => {
  for (const p of launched) await p.shutdown();
  removeTempHomes();
});

describe('the app window (UI-01)', () => {
  it('closing the window (the browser exits) ends the profile; the launcher then shuts the core down', async () => {
    const browser = headlessBrowser();
    const profile = await launchWithWindow('alice', browser.path);
    let closed = false;
    void profile.windowClosed.then(() => (closed = true));
    expect(closed).toBe(false);
    process.kill(browser.pid(), 'SIGTERM');
    await profile.windowClosed;
    await profile.shutdown();
    expect(profile.bridge.connectionCount).toBe(0);
    await expect(profile.session.handlers['identity.get']({})).rejects.toMatchObject({ code: 'SESSION_CLOSED' });
  });

  it('shutting down (Ctrl-C, SIGTERM) closes the window too', async () => {
    const browser = headlessBrowser();
    const profile = await launchWithWindow('bob', browser.path);
    const pid = browser.pid();
    expect(alive(pid)).toBe(true);
    await profile.shutdown();
    await profile.windowClosed;
    await waitUntil(() => !alive(pid), 'the browser exited');
  });
});

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@discordopus/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppWindow } from './browser-window';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('app window launch (UI-01, bridge launch code)', () => {
  it('never puts the launch code on the browser command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dop-window-'));
    dirs.push(dir);
    // A stand-in browser that records its arguments and exits.
    const argsFile = join(dir, 'argv.txt');
    const browser = join(dir, 'fake-chromium');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
    chmodSync(browser, 0o755);
    const url = 'http://127.0.0.1:45678/#code=SECRET-launch-code';
    const userDataDir = join(dir, 'window');
    const window = openAppWindow({ browser, url, userDataDir, logger: silentLogger });
    await window.exited;

    const argv = readFileSync(argsFile, 'utf8');
    expect(argv).not.toContain('SECRET-launch-code');
    const appArg = argv.split('\n').find((a) => a.startsWith('--app='));
    expect(appArg).toBe(`--app=file://${join(userDataDir, 'launch.html')}`);
    // The page that forwards to the app is readable by this user only.
    const page = join(userDataDir, 'launch.html');
    expect(readFileSync(page, 'utf8')).toContain(`content="0;url=${url}"`);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(statSync(userDataDir).mode & 0o777).toBe(0o700);
  });
});

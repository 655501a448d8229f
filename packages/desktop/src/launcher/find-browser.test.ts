import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appWindowArgs, findBrowser } from './find-browser';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dop-browser-'));
  dirs.push(d);
  return d;
}
function fakeBinary(dir: string, name: string, executable = true): string {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, executable ? 0o755 : 0o644);
  return p;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('finding a browser for the app window', () => {
  it('prefers chromium, then chrome, searching PATH in order', () => {
    const a = tempDir();
    const b = tempDir();
    fakeBinary(a, 'google-chrome');
    const chromium = fakeBinary(b, 'chromium');
    expect(findBrowser({ configuredPath: null, searchPath: [a, b].join(delimiter) })).toBe(join(a, 'google-chrome'));
    expect(findBrowser({ configuredPath: null, searchPath: b })).toBe(chromium);
  });

  it('skips files that are not executable and directories', () => {
    const a = tempDir();
    fakeBinary(a, 'chromium', false);
    mkdirSync(join(a, 'google-chrome'));
    expect(findBrowser({ configuredPath: null, searchPath: a })).toBeNull();
  });

  it('uses a configured path only when it is executable', () => {
    const a = tempDir();
    const edge = fakeBinary(a, 'my-edge');
    expect(findBrowser({ configuredPath: edge, searchPath: '' })).toBe(edge);
    expect(findBrowser({ configuredPath: join(a, 'missing'), searchPath: a })).toBeNull();
  });

  it('opens an app window with its own profile directory', () => {
    const args = appWindowArgs('http://127.0.0.1:5000/', '/tmp/p');
    expect(args).toContain('--app=http://127.0.0.1:5000/');
    expect(args).toContain('--user-data-dir=/tmp/p');
  });
});

describe('app window layout (UI-01)', () => {
  it('sizes and places the window when asked (npm run demo puts two side by side)', () => {
    const args = appWindowArgs('http://127.0.0.1:5000/', '/tmp/p', { width: 800, height: 600, x: 810, y: 0 });
    expect(args).toContain('--window-size=800,600');
    expect(args).toContain('--window-position=810,0');
    expect(appWindowArgs('http://127.0.0.1:5000/', '/tmp/p').some((a) => a.startsWith('--window-position'))).toBe(false);
  });
});

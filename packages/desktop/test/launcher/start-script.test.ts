import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempHomes, tempHome } from '../helpers/sessions';

const START_SCRIPT = fileURLToPath(new URL('../../../../scripts/start.mjs', import.meta.url));

afterEach(() => removeTempHomes());

describe('npm start on a fresh clone (issue 15 item 6)', () => {
  it('says that the first install compiles SQLCipher and about how long it takes, before installing', async () => {
    // A checkout without node_modules, and an `npm` that records that it ran.
    const root = tempHome();
    mkdirSync(join(root, 'scripts'));
    copyFileSync(START_SCRIPT, join(root, 'scripts', 'start.mjs'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npm'), '#!/bin/sh\necho "fake npm $*"\nexit 0\n');
    chmodSync(join(bin, 'npm'), 0o755);
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Nothing to start in this bare checkout: it stops there, after installing.
    expect(code).toBe(1);
    const told = stdout.indexOf('compiles the encrypted database');
    expect(told).toBeGreaterThanOrEqual(0);
    expect(stdout).toMatch(/engine \(SQLCipher\) from source, which takes about 3 minutes; later starts take seconds\./);
    expect(stdout.indexOf('fake npm ci --no-audit --no-fund')).toBeGreaterThan(told);
  });
});

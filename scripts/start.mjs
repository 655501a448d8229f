#!/usr/bin/env node
// `npm start`: installs what is missing, then launches the most complete part of DiscordOpus
// that exists: the desktop app when it is built, otherwise the signaling server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  // The first install is long and mostly silent: say what happens and how long it takes (issue 15 item 6).
  console.log('Installing dependencies (npm ci). The first time, this compiles the encrypted database');
  console.log('engine (SQLCipher) from source, which takes about 3 minutes; later starts take seconds.');
  const status = await new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    const ticker = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      console.log(`Still installing (${Math.floor(seconds / 60)} min ${seconds % 60} s so far)…`);
    }, 30_000);
    child.on('error', () => resolve(1));
    child.on('exit', (code) => {
      clearInterval(ticker);
      resolve(code ?? 1);
    });
  });
  if (status !== 0) process.exit(status);
}

const candidates = [
  join(root, 'packages/desktop/src/cli.ts'),
  join(root, 'packages/server/src/cli.ts'),
];
const entry = candidates.find((p) => existsSync(p));
if (!entry) {
  console.error('Nothing to start yet: neither the desktop app nor the signaling server is in this checkout.');
  process.exit(1);
}
const tsx = join(root, 'node_modules/.bin/tsx');
const child = spawn(tsx, [entry, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

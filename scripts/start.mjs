#!/usr/bin/env node
// `npm start`: installs what is missing, then launches the most complete part of DiscordOpus
// that exists: the desktop app when it is built, otherwise the signaling server.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
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

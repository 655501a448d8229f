/**
 * `tsx bench/profile-top.ts <file.cpuprofile> [n]` — the top entries of a V8 CPU profile by self
 * time, as a Markdown table (share of all samples, so the figures mean something on a busy
 * machine too). Functions are grouped by name and source file.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [file, nArg] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: tsx bench/profile-top.ts <file.cpuprofile> [n]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const hits = new Map<string, number>();
for (const id of profile.samples) {
  const node = byId.get(id);
  if (node === undefined) continue;
  const { functionName, url } = node.callFrame;
  const where = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/packages\//, '').replace(/^file:\/\//, '');
  const key = `${functionName || '(anonymous)'} ${where ? `(${where})` : ''}`.trim();
  hits.set(key, (hits.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
const rows = [...hits.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 15));
process.stdout.write('| self | function (file) |\n|---|---|\n');
for (const [key, count] of rows) process.stdout.write(`| ${((count / total) * 100).toFixed(1)} % | ${key.replace(/\|/g, '\\|')} |\n`);

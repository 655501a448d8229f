import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The requirement IDs cited in the README, tests and commits are listed in the repository itself. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const ID = /\b[A-Z]{2,6}-\d{2}\b/g;

describe('the requirements list (issue 15, item 16)', () => {
  it('the README links to docs/requirements.md, which exists in the repository', () => {
    expect(read('README.md')).toContain('](docs/requirements.md)');
    expect(read('docs/requirements.md')).toMatch(/^# DiscordOpus — requirements/);
  });

  it('every requirement ID cited in README.md and PROTOCOL.md is defined there', () => {
    const defined = new Set([...read('docs/requirements.md').matchAll(/^\| ([A-Z]{2,6}-\d{2}) \|/gm)].map((m) => m[1]));
    expect(defined.size).toBeGreaterThan(10);
    const cited = new Set([...read('README.md').matchAll(ID), ...read('PROTOCOL.md').matchAll(ID)].map((m) => m[0]));
    expect([...cited].filter((id) => !defined.has(id))).toEqual([]);
  });
});

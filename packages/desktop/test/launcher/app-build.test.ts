import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from '../../src/launcher/app-build';
import { appSourcesFingerprint } from '../../src/launcher/app-sources';
import { removeTempHomes, tempHome } from '../helpers/sessions';

afterEach(() => removeTempHomes());

/** A checkout with the app's inputs, and a build that writes index.html (what vite does). */
function checkout() {
  const root = tempHome();
  const dist = join(root, 'packages/app/dist');
  mkdirSync(join(root, 'packages/app/src'), { recursive: true });
  mkdirSync(join(root, 'packages/protocol/src'), { recursive: true });
  writeFileSync(join(root, 'packages/app/src/app.tsx'), 'export const a = 1;\n');
  writeFileSync(join(root, 'packages/protocol/src/index.ts'), 'export const p = 1;\n');
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  const builds: number[] = [];
  const log: string[] = [];
  const ensure = () =>
    ensureAppBuilt({
      dir: dist,
      log: (line) => log.push(line),
      fingerprint: () => appSourcesFingerprint(root),
      build: () => {
        builds.push(builds.length + 1);
        mkdirSync(dist, { recursive: true });
        writeFileSync(join(dist, 'index.html'), `<!doctype html><p>build ${builds.length}</p>`);
        return true;
      },
    });
  return { root, dist, builds, log, ensure };
}

describe('the launcher rebuilds the app when its sources changed (issue 15, item 4; UI-01)', () => {
  it('builds on a fresh clone, then serves that build as long as nothing changed', () => {
    const c = checkout();
    expect(c.ensure()).toBe(c.dist);
    expect(c.builds).toHaveLength(1);
    expect(c.log[0]).toMatch(/first launch/);
    expect(c.ensure()).toBe(c.dist);
    expect(c.builds).toHaveLength(1);
  });

  it('rebuilds after a source file, a protocol file or the lockfile changed, and says why', () => {
    const c = checkout();
    c.ensure();
    writeFileSync(join(c.root, 'packages/app/src/app.tsx'), 'export const a = 2;\n');
    c.ensure();
    expect(c.builds).toHaveLength(2);
    expect(c.log.at(-1)).toMatch(/sources changed since it was built: rebuilding/);
    writeFileSync(join(c.root, 'packages/protocol/src/index.ts'), 'export const p = 2;\n');
    c.ensure();
    writeFileSync(join(c.root, 'package-lock.json'), '{"lockfileVersion":3,"x":1}\n');
    c.ensure();
    expect(c.builds).toHaveLength(4);
    // A new file counts too; a test file is not part of the bundle.
    writeFileSync(join(c.root, 'packages/app/src/new-screen.tsx'), 'export {};\n');
    c.ensure();
    expect(c.builds).toHaveLength(5);
    writeFileSync(join(c.root, 'packages/app/src/new-screen.test.tsx'), 'export {};\n');
    c.ensure();
    expect(c.builds).toHaveLength(5);
  });

  it('rebuilds a dist made without a record of its sources (an older launcher, a manual build)', () => {
    const c = checkout();
    mkdirSync(c.dist, { recursive: true });
    writeFileSync(join(c.dist, 'index.html'), '<!doctype html><p>old</p>');
    c.ensure();
    expect(c.builds).toHaveLength(1);
  });

  it('keeps serving the last build when a rebuild fails', () => {
    const c = checkout();
    c.ensure();
    writeFileSync(join(c.root, 'packages/app/src/app.tsx'), 'broken(');
    const log: string[] = [];
    const result = ensureAppBuilt({ dir: c.dist, log: (l) => log.push(l), fingerprint: () => appSourcesFingerprint(c.root), build: () => false });
    expect(result).toBe(c.dist);
    expect(log.join('\n')).toMatch(/could not be built[\s\S]*as it was last built/);
  });
});
